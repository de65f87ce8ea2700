"""`proclab grade` from the command line: one submission, a batch, and a batch interrupted.

These run real gradings of the zombie exercise (about 3 s each for a correct program).
"""

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from lab.backends import docker as docker_backend
from lab.grading import batch as batch_module
from tests import wrong_solutions
from tests.support import SWEEPS, as_a_foreground_command, labelled, poll

PROCLAB = [sys.executable, "-m", "lab"]
ZOMBIE = Path(__file__).parent.parent / "exercises" / "zombie"


def proclab(*args, **kwargs):
    return subprocess.run(PROCLAB + list(args), capture_output=True, text=True, timeout=300, **kwargs)


@pytest.mark.container
def test_the_reference_gets_full_marks_and_exit_0(client):
    result = proclab("grade", "zombie", str(ZOMBIE / "solution.py"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.rstrip().endswith("Score: 9/9")
    assert "zombie: the child becomes a zombie with exit status 7 ... OK" in result.stdout


@pytest.mark.container
def test_the_starter_gets_exit_1_with_readable_evidence(client):
    result = proclab("grade", "zombie", str(ZOMBIE / "starter.py"))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "... FAIL" in result.stdout and "expected:" in result.stdout and "process table" in result.stdout
    assert "hint:" in result.stdout and "Score: 1/9" in result.stdout


@pytest.mark.container
def test_the_feedback_is_in_chinese_with_lang_zh_or_a_chinese_locale(client):
    """Every check's title, the evidence's labels, the hint, the verdict and the score, in Chinese:
    asked for with --lang zh, or by the locale (here in the JSON a platform reads)."""
    from lab.grading import catalog

    exercise = catalog.load("zombie")
    result = proclab("grade", "zombie", str(ZOMBIE / "starter.py"), "--lang", "zh")
    assert result.returncode == 1, result.stdout + result.stderr
    for check in exercise.checks:
        assert f"zombie: {check.title.zh} ... " in result.stdout, result.stdout
    first = exercise.checks[0]
    assert f"应当：主进程" in result.stdout and "观察到：" in result.stdout and f"提示：{first.hint.zh}" in result.stdout
    assert "结论：6 项检查中有 5 项未通过" in result.stdout and result.stdout.rstrip().endswith("得分：1/9")
    assert "expected" not in result.stdout and "hint" not in result.stdout

    env = {**{k: v for k, v in os.environ.items() if k not in ("LAB_LANG", "LC_ALL", "LC_MESSAGES")},
           "LANG": "zh_CN.UTF-8"}
    as_json = json.loads(proclab("grade", "zombie", str(ZOMBIE / "starter.py"), "--format", "json", env=env).stdout)
    assert as_json["lang"] == "zh" and as_json["verdict"] == "6 项检查中有 5 项未通过"
    assert [c["title"] for c in as_json["checks"]] == [check.title.zh for check in exercise.checks]


@pytest.mark.container
@pytest.mark.parametrize("form", ["gradescope", "prairielearn"])
def test_a_platform_result_once_written_means_exit_0(client, tmp_path, form):
    """The platform reads the grade from the file (PrairieLearn discards it after a non-zero
    exit); --out makes the folders it names; the folder holds one .py under another name."""
    (tmp_path / "upload").mkdir()
    shutil.copy(ZOMBIE / "starter.py", tmp_path / "upload" / "my_zombie.py")
    out = tmp_path / "results" / "deeper" / "results.json"
    result = proclab("grade", "zombie", str(tmp_path / "upload"), "--single", "--format", form, "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Score: 1/9" in result.stdout
    written = json.loads(out.read_text())
    assert written["score"] == (1 if form == "gradescope" else round(1 / 9, 4)), written


@pytest.mark.parametrize("form", ["gradescope", "prairielearn"])
def test_a_platform_result_is_written_when_the_grader_cannot_grade(tmp_path, form):
    """No engine: the platform still gets its file, marked as the grader's failure, and exit 0."""
    out = tmp_path / "results.json"
    result = proclab("grade", "zombie", str(ZOMBIE / "starter.py"), "--format", form, "--out", str(out),
                     env={**os.environ, "DOCKER_HOST": "unix:///nonexistent"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr.startswith("proclab: error: cannot reach the Docker engine")
    written = json.loads(out.read_text())
    if form == "gradescope":
        assert written["score"] == 0 and written["extra_data"]["status"] == "error", written
    else:
        assert written["gradable"] is False, written


def class_folder(tmp_path: Path) -> Path:
    """A course folder with one of each kind of submission."""
    folder = tmp_path / "submissions"
    folder.mkdir()
    shutil.copy(ZOMBIE / "solution.py", folder / "alice.py")
    shutil.copy(ZOMBIE / "starter.py", folder / "bob.py")
    no_wait = next(wrong for wrong in wrong_solutions.of("zombie") if wrong.name == "no_wait")
    no_wait.write(folder / "carol", "solution.py")
    (folder / "dave").mkdir()
    (folder / "dave" / "main.py").write_text("import helper\n")  # two .py files, neither solution.py
    (folder / "dave" / "helper.py").write_text("print('I forgot to name it solution.py')\n")
    (folder / "erin.py").write_text("def broken(:\n")
    return folder


@SWEEPS
@pytest.mark.container
def test_a_batch_grades_every_kind_of_submission_and_a_rerun_regrades_nothing(client, tmp_path):
    folder, out = class_folder(tmp_path), tmp_path / "results"
    first = proclab("grade", "zombie", str(folder), "--out", str(out), "--jobs", "2")
    assert first.returncode == 0, first.stdout + first.stderr
    with open(out / "grades.csv", newline="") as f:
        rows = {row["student"]: row for row in csv.DictReader(f)}
    assert set(rows) == {"alice", "bob", "carol", "dave", "erin"}
    scores = {name: (row["score"], row["status"]) for name, row in rows.items()}
    assert scores == {"alice": ("9", "passed"), "bob": ("1", "failed"), "carol": ("6", "failed"),
                      "dave": ("0", "failed"), "erin": ("0", "failed")}
    assert rows["carol"]["parent_reaps_it"] == "0" and rows["carol"]["child_becomes_a_zombie"] == "2"
    assert "no solution.py" in rows["dave"]["verdict"]
    assert "crashed: SyntaxError" in rows["erin"]["verdict"] and "SyntaxError" in (out / "erin.txt").read_text()
    for name in rows:
        assert (out / f"{name}.txt").is_file() and (out / f"{name}.json").is_file()
    assert "score" in first.stdout and "most failed check" in first.stdout and "slowest submission" in first.stdout

    again = proclab("grade", "zombie", str(folder), "--out", str(out), "--jobs", "2")
    assert again.returncode == 0 and "5 graded (0 now, 5 from before)" in again.stdout, again.stdout


@SWEEPS
@pytest.mark.container
def test_an_interrupted_batch_leaves_no_container_and_a_rerun_finishes_it(client, tmp_path):
    folder, out = tmp_path / "submissions", tmp_path / "results"
    folder.mkdir()
    for n in range(4):
        shutil.copy(ZOMBIE / "solution.py", folder / f"student{n}.py")
    ours = f"{docker_backend.RUN_LABEL}={batch_module.run_id_for(out)}"
    batch = subprocess.Popen(PROCLAB + ["grade", "zombie", str(folder), "--out", str(out)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             preexec_fn=as_a_foreground_command)
    try:
        ready = poll(lambda: list(out.glob("*.json")) and labelled(client, ours), 120,
                     "a result written while a grading runs", batch)
        assert ready, f"the batch ended before it could be interrupted: {batch.stderr.read()}"
        batch.send_signal(signal.SIGINT)
        assert batch.wait(60) == 130
        assert "interrupted" in batch.stderr.read()
    finally:
        batch.kill()
        batch.wait(30)
    assert not labelled(client, ours)
    graded_before = len(list(out.glob("*.json")))
    assert 1 <= graded_before < 4

    rerun = proclab("grade", "zombie", str(folder), "--out", str(out))
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert f"4 graded ({4 - graded_before} now, {graded_before} from before)" in rerun.stdout
    with open(out / "grades.csv", newline="") as f:
        assert [row["score"] for row in csv.DictReader(f)] == ["9"] * 4


def test_an_exercise_whose_checks_do_not_load_is_named_in_one_line(tmp_path):
    """An instructor's checks.py written before titles were bilingual (or broken otherwise)."""
    folder = tmp_path / "mine" / "old"
    folder.mkdir(parents=True)
    (folder / "checks.py").write_text("from lab.grading import Exercise\n\nexercise = Exercise('old', 'An old title')\n")
    result = proclab("grade", "old", str(ZOMBIE / "solution.py"), "--exercises", str(tmp_path / "mine"))
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1, result.stderr
    assert f"exercise 'old' does not load: {folder / 'checks.py'}:3: TypeError: the title of exercise old must be a T(en, zh)" \
        in result.stderr, result.stderr


@pytest.mark.parametrize("args, message", [
    (["grade", "nope", "x.py"], "no exercise named 'nope'"),
    (["grade", "zombie", "/nonexistent.py"], "no such submission: /nonexistent.py"),
    (["grade", "zombie", "exercises", "--jobs", "two"], "must be a whole number"),
    (["grade", "zombie"], "grade needs an EXERCISE and a SUBMISSION"),
])
def test_grade_bad_arguments_get_one_line_and_exit_2(args, message):
    result = proclab(*args)
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1, result.stderr
    assert message in result.stderr
