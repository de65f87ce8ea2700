"""Hostile submissions: each attack in tests/hostile/ gets its verdict, no credit, and leaves nothing.

Every program there names, in its header (``# verdict: ...``), the words its verdict must
contain. They are graded as zombie submissions with a 5 s time limit; the only check a hostile
program may pass is "exits with status 0" (some attacks exit normally).
"""

import dataclasses
import json
import os
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import psutil
import pytest

from lab.backends import docker as docker_backend
from lab.grading import catalog, results, submission
from lab.grading.grader import grade
from tests.support import SWEEPS, labelled

HOSTILE = Path(__file__).parent / "hostile"
ATTACKS = sorted(HOSTILE.glob("*.py"))


@pytest.fixture(scope="module")
def zombie_in_5_s():
    return dataclasses.replace(catalog.load("zombie"), time_limit=5)


def header(path: Path, key: str) -> str:
    return re.search(rf"^# {key}: (.*)$", path.read_text(errors="replace"), re.MULTILINE).group(1).strip()


def graded(exercise, path, engine, client):
    result = grade(exercise, submission.load(path), engine)
    assert not labelled(client, f"{docker_backend.RUN_LABEL}={engine.run_id}"), "a container outlived its grading"
    return result


def assert_verdict_everywhere(result, words):
    """The verdict is in every format a course platform reads."""
    assert words in result.verdict
    assert words in json.loads(results.gradescope(result))["output"]
    assert words in json.loads(results.prairielearn(result))["message"]
    assert words in json.loads(results.plain_json(result))["verdict"]
    suite = ET.fromstring(results.junit(result).encode())[0]
    assert words in suite.find("properties/property[@name='verdict']").get("value")
    assert words in results.text(result)


@pytest.mark.container
@pytest.mark.parametrize("path", ATTACKS, ids=lambda p: p.stem)
def test_an_attack_gets_its_verdict_and_no_credit(path, zombie_in_5_s, engine, client):
    result = graded(zombie_in_5_s, path, engine, client)
    assert result.status == "failed", results.text(result)
    assert_verdict_everywhere(result, header(path, "verdict"))
    earned = {c.name for c in result.checks if c.passed}
    assert earned <= {"exits_with_status_0"}, f"credit for {earned}:\n{results.text(result)}"


@pytest.mark.container
def test_an_output_flood_is_cut_at_the_cap(zombie_in_5_s, engine, client):
    result = graded(zombie_in_5_s, HOSTILE / "output_flood.py", engine, client)
    assert len(result.output) < 4096 and "output cut at the grader's limit" in result.output


@pytest.mark.container
def test_filling_the_disk_hits_the_tmpfs_cap_not_the_host(zombie_in_5_s, engine, client):
    free_before = shutil.disk_usage("/").free
    result = graded(zombie_in_5_s, HOSTILE / "disk_fill.py", engine, client)
    assert "/tmp/fill: ENOSPC" in result.output and "fill: ENOSPC" in result.output
    assert free_before - shutil.disk_usage("/").free < 64 << 20  # the tmpfs is 64 MiB, and in memory


def survivors(client, cmdline: list) -> list:
    """PIDs of processes running `cmdline`, on the host or in a container that is gone, but not in
    a container still running: that is another test's (the tests run in parallel, and
    test_in_place.py grades escape.py too, in a container of its own)."""
    def cgroup(pid):
        """Its cgroups (they name its container), or None once it is gone (or a zombie)."""
        try:
            alive = psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
            return Path(f"/proc/{pid}/cgroup").read_text() if alive else None
        except (OSError, psutil.Error):
            return None

    found = {p.pid: cgroup(p.pid) for p in psutil.process_iter(["cmdline"]) if p.info["cmdline"] == cmdline}
    running = [c.id for c in client.containers.list(sparse=True)]  # listed after: a container seen running
    return [pid for pid, where in found.items()  # then held its processes before
            if where is not None and not any(container in where for container in running)
            and cgroup(pid) is not None]  # and not removed (with them) in between


@pytest.mark.container
def test_an_escaped_process_does_not_survive_on_the_host(zombie_in_5_s, engine, client):
    graded(zombie_in_5_s, HOSTILE / "escape.py", engine, client)
    assert survivors(client, ["sleep", "31337.25"]) == []


@pytest.mark.container
def test_the_supervisor_cannot_be_killed_and_the_network_is_off(zombie_in_5_s, engine, client):
    killer = graded(zombie_in_5_s, HOSTILE / "kill_everything.py", engine, client)
    assert "kill 1: Operation not permitted" in killer.output
    assert re.search(r"kill observer \d+: Operation not permitted", killer.output), killer.output
    network = graded(zombie_in_5_s, HOSTILE / "network.py", engine, client)
    assert "Network is unreachable" in network.output and "connected" not in network.output


@pytest.mark.container
def test_fake_results_earn_nothing(zombie_in_5_s, engine, client):
    result = graded(zombie_in_5_s, HOSTILE / "fake_results.py", engine, client)
    assert result.score <= 1 and "/tmp/proclab/observer.py: Permission denied" in result.output


@pytest.mark.container
def test_a_killed_supervisor_is_the_submissions_verdict_not_a_grader_error(zombie_in_5_s, engine, client):
    """The student's uid cannot kill the observer (see kill_everything.py). Should it die all the
    same while the container lives on (here the test kills it, as root), the submission gets the
    verdict and no credit; it is not a grader error to be graded again and again."""
    def kill_the_observer(live):
        code, output = live.sandbox.run(["pkill", "-9", "-f", "observer.py"], student=False)
        assert code == 0, output

    exercise = dataclasses.replace(zombie_in_5_s, drive=kill_the_observer)
    result = graded(exercise, catalog.folder("zombie") / "solution.py", engine, client)
    assert result.status == "failed" and result.score == 0, results.text(result)
    assert_verdict_everywhere(result, "the submission killed the lab's supervisor")


def broken_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "empty.py").write_text("")
    shutil.copy(HOSTILE / "syntax_error.py", folder / "syntax.py")
    shutil.copy(HOSTILE / "binary_garbage.py", folder / "garbage.py")
    shutil.copy(HOSTILE / "non_utf8_output.py", folder / "bytes.py")
    (folder / "nosolution").mkdir()
    (folder / "nosolution" / "main.py").write_text("print(1)\n")
    (folder / "nosolution" / "other.py").write_text("print(2)\n")
    (folder / "linked").mkdir()
    (folder / "linked" / "solution.py").write_text("print(1)\n")
    os.symlink("/etc/shadow", folder / "linked" / "secret")
    shutil.copy(catalog.folder("zombie") / "solution.py", folder / "honest.py")
    return folder


@SWEEPS
@pytest.mark.container
def test_a_batch_of_broken_submissions_gets_a_verdict_each_and_goes_on(client, tmp_path):
    from lab.grading import batch

    exercise = catalog.load("zombie")
    outcome = batch.grade_folder(exercise, broken_folder(tmp_path), tmp_path / "out", jobs=2)
    verdicts = {r.submission: (r.status, r.verdict) for r in outcome.results}
    assert verdicts["honest"] == ("passed", "full marks")
    assert verdicts["nosolution"][1] == ("cannot run the submission: the folder has no solution.py, and 2 other "
                                         ".py files at its top (not one to take for it)")
    assert verdicts["linked"][1] == ("cannot run the submission: secret is a symbolic link; "
                                     "only regular files are accepted")
    assert "crashed: SyntaxError" in verdicts["syntax"][1] and "crashed: SyntaxError" in verdicts["garbage"][1]
    assert verdicts["empty"][0] == verdicts["bytes"][0] == "failed"
    assert "\ufffd" in next(r.output for r in outcome.results if r.submission == "bytes")
    assert len((tmp_path / "out" / "grades.csv").read_text().splitlines()) == 1 + 7
