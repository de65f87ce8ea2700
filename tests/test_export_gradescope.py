"""`proclab export gradescope`: the autograder zip, and that it grades as Gradescope runs it.

The zip is made with the real command line, run from a folder of the instructor's own. The
container test then does what Gradescope does (its autograder specification,
gradescope-autograders.readthedocs.io/en/latest/specs/): it unpacks the zip into
/autograder/source of a fresh container, the files' modes kept as unzip keeps them; runs
setup.sh there, once, as root; copies run_autograder to /autograder/run_autograder; and for each
submission puts the student's file in /autograder/submission under the name the student gave
it, runs /autograder/run_autograder in /autograder and reads /autograder/results/results.json.

The container is tests/platforms.py's "prairielearn" kind: Gradescope's shape (root, Docker's
default capabilities, 768 MiB) but with the network off. Gradescope builds its images with the
network on; here no package index can be reached, which proves the harder case: setup.sh works
offline, from the image's own python3-psutil, python3-tabulate and venv. proclab:latest has a
copy of proclab on its PYTHONPATH, which Gradescope's images do not: every command runs without
it, so what grades is what setup.sh installed.
"""

import json
import shlex
import stat
import subprocess
import sys
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from lab.errors import ProclabError
from lab.export import bundle, gradescope
from lab.grading import catalog
from tests.platforms import Platforms
from tests.wrong_solutions import of

EXERCISE = "zombie"
EXITS_1 = next(wrong for wrong in of(EXERCISE) if wrong.name == "exits_1")
# unzip as Gradescope's harness does it: every file, with the mode it has in the zip
UNZIP = """\
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as archive:
    for entry in archive.infolist():
        os.chmod(archive.extract(entry, sys.argv[2]), entry.external_attr >> 16 & 0o7777)
"""


def export(folder: Path, *options: str) -> Path:
    """`proclab export gradescope` as an instructor runs it, in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([sys.executable, "-m", "lab", "export", "gradescope", EXERCISE, "--out", "autograder.zip",
                           *options],
                          cwd=folder, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return folder / "autograder.zip"


def test_the_zip(tmp_path):
    """setup.sh and run_autograder at the top, executable, valid shell; proclab's wheel; the
    exercise's grader files as they are; no reference solution, in the wheel neither."""
    with zipfile.ZipFile(export(tmp_path)) as archive:
        entries = {entry.filename: entry for entry in archive.infolist()}
        graders = bundle.exercise_files(catalog.load(EXERCISE), for_students=False)
        assert set(entries) == {"setup.sh", "run_autograder", bundle.WHEEL,
                                *(f"exercises/{EXERCISE}/{path}" for path in graders)}
        assert {path: archive.read(f"exercises/{EXERCISE}/{path}") for path in graders} == graders
        assert "checks.py" in graders and "solution.py" not in graders
        modes = {name: (entry.create_system, entry.external_attr >> 16) for name, entry in entries.items()}
        executable = (3, stat.S_IFREG | 0o755)
        assert modes == {name: executable if name in ("setup.sh", "run_autograder") else (3, stat.S_IFREG | 0o644)
                         for name in entries}
        archive.extractall(tmp_path / "unpacked")
    with zipfile.ZipFile(tmp_path / "unpacked" / bundle.WHEEL) as wheel:
        assert "lab/cli.py" in wheel.namelist()
        assert [name for name in wheel.namelist() if name.endswith("/solution.py")] == []
    for shell, script in (("bash", "setup.sh"), ("sh", "run_autograder")):
        done = subprocess.run([shell, "-n", script], cwd=tmp_path / "unpacked", capture_output=True, text=True)
        assert done.returncode == 0, f"{script}: {done.stderr}"


def test_an_exercise_longer_than_gradescope_allows_is_refused(tmp_path):
    """Above Gradescope's longest timeout no setting would let a grading finish."""
    slow = replace(catalog.load(EXERCISE), time_limit=gradescope.MAX_TIMEOUT)
    with pytest.raises(ProclabError, match="Gradescope stops"):
        gradescope.export(slow, tmp_path / "autograder.zip")
    assert not (tmp_path / "autograder.zip").exists()


def gradescope_results(results: dict) -> list:
    """What is not as Gradescope's specification has it (the "tests" form, with proclab's status)."""
    problems = []
    tests = results.get("tests")
    if not isinstance(results.get("score"), (int, float)) or not isinstance(tests, list) or not tests:
        return [f"no score, or no tests: {results}"]
    for test in tests:
        if not isinstance(test.get("name"), str) or not all(isinstance(test.get(k), (int, float))
                                                             for k in ("score", "max_score")):
            problems.append(f"a test without name, score and max_score: {test}")
    if sum(test["score"] for test in tests) != results["score"]:
        problems.append(f"the score {results['score']} is not the tests' sum")
    if results.get("extra_data", {}).get("status") not in ("passed", "failed"):
        problems.append(f"extra_data.status: {results.get('extra_data')}")
    return problems


@pytest.mark.container
def test_it_grades_as_gradescope_runs_it(client, tmp_path):
    """setup.sh once, offline; then run_autograder for the reference, named as a student names a
    file, and for exits_1 (tests/wrong_solutions.py): valid results.json, full marks for one,
    exactly the points of `exits with status 0` lost by the other, exit status 0, nothing of the
    student's uid left; and no reference solution anywhere under /autograder. The course asked
    for feedback in Chinese: the results are in Chinese."""
    exercise = catalog.load(EXERCISE)
    upload = export(tmp_path / "instructor", "--lang", "zh").parent
    submissions = {"my_zombie.py": (catalog.folder(EXERCISE) / "solution.py").read_text(),
                   "zombie_attempt.py": EXITS_1.source()}
    platforms = Platforms(client, tmp_path, "export-gradescope")
    try:
        place = platforms.start("prairielearn", {upload: ("/upload", "ro")})
        (place.folder / "submissions").mkdir()
        for name, source in submissions.items():
            (place.folder / "submissions" / name).write_text(source)

        def run(line: str, timeout: float) -> tuple:
            """A shell line as Gradescope's harness runs it: as root, without the image's PYTHONPATH."""
            return place.run(["env", "-u", "PYTHONPATH", "sh", "-c", line], timeout)

        code, _, stderr = run(f"python3 -c {shlex.quote(UNZIP)} /upload/autograder.zip /autograder/source", 60)
        assert code == 0, stderr
        code, stdout, stderr = run("cd /autograder/source && bash ./setup.sh", 300)
        assert code == 0, f"setup.sh exited with status {code}:\n{stdout}\n{stderr}"
        assert "no package index reachable" in stdout, stdout  # offline: proclab without its dependencies
        code, stdout, _ = run("find /autograder -name solution.py", 30)
        assert (code, stdout) == (0, ""), f"the student's uid could read a reference solution:\n{stdout}"
        code, _, stderr = run("cp /autograder/source/run_autograder /autograder/run_autograder", 10)
        assert code == 0, stderr

        graded = {}
        for name in submissions:
            code, stdout, stderr = run(
                "rm -rf /autograder/submission /autograder/results && mkdir /autograder/submission /autograder/results"
                f" && cp /work/submissions/{name} /autograder/submission/"
                " && cd /autograder && ./run_autograder >/autograder/results/stdout",
                2 * exercise.worst_case_seconds + 60)
            assert code == 0, f"run_autograder exited with status {code} for {name}:\n{stderr}"
            _, results, _ = run("cat /autograder/results/results.json", 10)
            graded[name] = json.loads(results)
            assert gradescope_results(graded[name]) == [], graded[name]
            left = place.students_left() + place.files_left()
            assert left == [], f"the grading of {name} left processes or files of a student's uid:\n" + "\n".join(left)
    finally:
        platforms.remove()

    reference, wrong = graded["my_zombie.py"], graded["zombie_attempt.py"]
    assert reference["score"] == exercise.max_score and reference["extra_data"]["status"] == "passed", reference
    assert all(test["score"] == test["max_score"] for test in reference["tests"]), reference
    titles = {check.name: check.title.zh for check in exercise.checks}
    lost = sum(check.points for check in exercise.checks if check.name in EXITS_1.fails)
    assert wrong["score"] == exercise.max_score - lost and wrong["extra_data"]["status"] == "failed", wrong
    assert sorted(test["name"] for test in wrong["tests"] if test["score"] < test["max_score"]) \
        == sorted(titles[name] for name in EXITS_1.fails), wrong
