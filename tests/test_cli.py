"""The command line's promises: one-line errors and exit status 2, with or without an engine."""

import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

PROCLAB = [sys.executable, "-m", "lab"]


@pytest.mark.parametrize("command", [["lab", "zombie"], ["clean"], ["build"], ["lab", "init", "--fast"]])
def test_without_an_engine_every_command_says_so_in_one_line_and_exits_2(command):
    env = {**os.environ, "DOCKER_HOST": "unix:///nonexistent"}
    result = subprocess.run(PROCLAB + command, capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "proclab: error: cannot reach the Docker engine at unix:///nonexistent: is Docker running? "
        "(DOCKER_HOST=unix:///nonexistent; without Docker: --backend local)"
    ]


@pytest.mark.parametrize("command", [["lab", "nope"], ["ps", "--bogus"], ["frobnicate"], ["ps", "--tree", "--json"]])
def test_bad_arguments_get_one_line_and_exit_2(command):
    result = subprocess.run(PROCLAB + command, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith("proclab: error: ")


def test_the_command_line_does_not_need_the_docker_sdk_to_start():
    """`proclab ps` runs inside the lab image, which has no Docker SDK."""
    probe = "import sys, lab.cli; sys.exit('docker' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", probe], timeout=60).returncode == 0


@pytest.mark.parametrize("how", ["flag", "environment"])
def test_a_backend_that_does_not_exist_gets_one_line_and_exit_2(how):
    args, env = ["grade", "zombie", "exercises/zombie/solution.py"], dict(os.environ)
    if how == "flag":
        args += ["--backend", "kubernetes"]
    else:
        env["PROCLAB_BACKEND"] = "kubernetes"
    result = subprocess.run(PROCLAB + args, capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1, result.stderr
    assert "kubernetes" in result.stderr and "docker" in result.stderr and "local" in result.stderr


def test_grading_in_place_on_a_bare_host_is_refused_and_starts_nothing(monkeypatch):
    from lab.backends import local
    from lab.errors import ProclabError

    monkeypatch.setattr(local, "in_container", lambda: False)
    monkeypatch.delenv("PROCLAB_ALLOW_HOST", raising=False)
    before = sorted(Path(tempfile.gettempdir()).glob("proclab-*"))
    with pytest.raises(ProclabError, match="only inside a container.*PROCLAB_ALLOW_HOST=1"):
        local.connect(purpose="grade")
    assert sorted(Path(tempfile.gettempdir()).glob("proclab-*")) == before
    monkeypatch.setenv("PROCLAB_ALLOW_HOST", "1")
    local.connect(purpose="grade").close()  # allowed when asked for
    local.connect(purpose="lab").close()  # labs (our own programs) run anywhere


@pytest.mark.parametrize("mark, expected", [(None, False), (".dockerenv", True), ("run/.containerenv", True),
                                            ("proc/1/cgroup", True)])
def test_a_container_is_told_from_a_bare_host(tmp_path, monkeypatch, mark, expected):
    from lab.backends import local

    monkeypatch.delenv("KUBERNETES_SERVICE_HOST", raising=False)
    (tmp_path / "proc/1").mkdir(parents=True)
    (tmp_path / "proc/1/cgroup").write_text("0::/init.scope\n")
    if mark:
        (tmp_path / mark).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / mark).write_text("12:pids:/docker/0123abcd\n" if mark.endswith("cgroup") else "")
    assert local.in_container(str(tmp_path)) is expected


def test_the_local_backend_needs_linux(monkeypatch):
    from lab.errors import ProclabError
    from lab.sandbox import connect

    monkeypatch.setattr(sys, "platform", "darwin")
    with pytest.raises(ProclabError, match="the local backend needs Linux"):
        connect("local", purpose="lab")


@pytest.mark.parametrize("argv, label", [(["clean"], "proclab"), (["clean", "--run", "r1"], "proclab.run=r1")])
def test_clean_removes_every_labelled_container_or_only_one_runs(argv, label, monkeypatch, capsys):
    """Which label each form removes, without removing anything: the bare form would take the
    containers of the tests running beside this one (test_harness.py runs `clean --run` for real)."""
    from lab import cli
    from lab.backends import docker as docker_backend

    removed = []
    monkeypatch.setattr(docker_backend, "_client", lambda: "the engine")
    monkeypatch.setattr(docker_backend, "remove_containers", lambda client, label: removed.append(label) or 2)
    assert cli.cmd_clean(cli.build_parser().parse_args(argv)) == 0
    assert removed == [label]
    assert capsys.readouterr().out == f"proclab clean: removed 2 container(s) labelled {label}\n"


@pytest.mark.parametrize("command", [["ps"], ["ps", "--json"], ["lab", "--list"], ["grade", "--list"]])
def test_a_reader_that_has_gone_ends_the_command_quietly(command):
    """`proclab ps | head`: the reader here is gone before anything is written, so every write fails."""
    reader, writer = os.pipe()
    os.close(reader)
    try:
        result = subprocess.run(PROCLAB + command, stdout=writer, stderr=subprocess.PIPE, text=True, timeout=60)
    finally:
        os.close(writer)
    assert (result.returncode, result.stderr) == (128 + signal.SIGPIPE, "")


def test_lab_without_a_name_lists_the_labs(capsys):
    from lab.cli import main

    assert main(["lab", "--list"]) == 0
    listed = capsys.readouterr().out
    assert main(["lab"]) == 0
    assert capsys.readouterr().out == listed and listed.startswith("ps ")


def test_grade_without_an_exercise_lists_them_and_says_what_it_needs(capsys):
    from lab.cli import main
    from lab.grading import catalog

    assert main(["grade"]) == 2
    out, err = capsys.readouterr()
    assert [line.split()[0] for line in out.splitlines()] == list(catalog.names())
    assert err == ("proclab: error: grade needs an EXERCISE (one of those above) and a SUBMISSION "
                   "(see `proclab grade --help`)\n")


@pytest.mark.parametrize("argv, message", [
    (["grade", "zombie", "x.py", "--bogus"], "unrecognized arguments: --bogus (see `proclab grade --help`)"),
    (["lab", "--fats"], "unrecognized arguments: --fats (see `proclab lab --help`)"),
    (["ps", "--tree", "extra"], "unrecognized arguments: extra (see `proclab ps --help`)"),
    (["--bogus"], "unrecognized arguments: --bogus (see `proclab --help`)"),
    (["--bogus", "ps"], "unrecognized arguments: --bogus (see `proclab --help`)"),
    ([], "say which command: ps, lab, grade, export, build, clean (see `proclab --help`)"),
])
def test_a_wrong_argument_is_named_with_the_help_that_explains_it(argv, message, capsys):
    from lab.cli import main

    assert main(argv) == 2
    assert capsys.readouterr() == ("", f"proclab: error: {message}\n")
