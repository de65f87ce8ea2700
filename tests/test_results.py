"""Result formats (Gradescope, PrairieLearn, JUnit, JSON, text), submissions, and check dependencies.

No container: these are about what the grader writes and reads.
"""

import json
import os
import xml.etree.ElementTree as ET

import pytest

from lab.grading import results, submission
from lab.grading.grader import judge
from lab.grading.results import CheckResult, Result
from lab.grading.spec import Exercise, Failed, Trial


def sample(status="failed"):
    checks = [
        CheckResult("becomes_zombie", "the child becomes a zombie", 2, 2, True, seconds=0.8),
        CheckResult("reaped", "the parent reaps it", 0, 3, False, "expected: x\nobserved: y <&> \x00\x1b"),
    ]
    if status == "error":
        return Result("zombie", "alice", "error", "grader error: the engine went away", 0, 5, [], "", 1.5)
    return Result("zombie", "alice", status, "1 of 2 checks failed", 2, 5, checks, "out \x07 put ü", 3.25)


def test_gradescope_has_the_fields_gradescope_reads():
    data = json.loads(results.gradescope(sample()))
    assert data["score"] == 2 and isinstance(data["execution_time"], float) and isinstance(data["output"], str)
    for test in data["tests"]:
        assert set(test) >= {"name", "score", "max_score", "status", "output", "visibility"}
        assert test["status"] in ("passed", "failed") and test["visibility"] == "visible"
        assert isinstance(test["score"], int) and isinstance(test["max_score"], int)
    assert sum(t["score"] for t in data["tests"]) == data["score"]


def test_prairielearn_score_is_a_fraction_and_errors_are_not_gradable():
    data = json.loads(results.prairielearn(sample()))
    assert data["gradable"] is True and data["score"] == pytest.approx(0.4)
    assert set(data) >= {"gradable", "score", "message", "tests"}
    for test in data["tests"]:
        assert set(test) >= {"name", "points", "max_points", "message", "output"}
    error = json.loads(results.prairielearn(sample("error")))
    assert error["gradable"] is False and "GRADER ERROR" in error["message"]


def test_junit_is_well_formed_and_counts_match():
    root = ET.fromstring(results.junit(sample()).encode())
    assert root.tag == "testsuites"
    (suite,) = root
    cases = suite.findall("testcase")
    assert suite.get("tests") == str(len(cases)) == "2"
    assert suite.get("failures") == str(sum(1 for c in cases if c.find("failure") is not None)) == "1"
    assert suite.get("errors") == "0" and float(suite.get("time")) == pytest.approx(3.25)
    for case in cases:
        assert case.get("classname") and case.get("name") and float(case.get("time")) >= 0
    assert "\x00" not in results.junit(sample())


def test_junit_marks_a_grader_error_as_an_error_not_a_failure():
    suite = ET.fromstring(results.junit(sample("error")).encode())[0]
    assert suite.get("errors") == "1" and suite.get("failures") == "0"
    assert suite.find("testcase/error") is not None


def test_every_format_marks_a_grader_error_and_never_gives_marks():
    for form in results.FORMATS:
        rendered = results.render(sample("error"), form)
        assert "error" in rendered.lower(), form
    assert json.loads(results.gradescope(sample("error")))["extra_data"]["status"] == "error"
    assert "GRADER ERROR" in results.text(sample("error"))


def test_plain_json_round_trips():
    result = sample()
    data = json.loads(results.plain_json(result))
    assert set(data) >= {"exercise", "submission", "score", "max_score", "status", "checks"}
    assert set(data["checks"][0]) >= {"name", "points", "max_points", "passed", "message"}
    assert Result.from_json(results.plain_json(result)) == result


def test_text_shows_each_check_the_evidence_and_the_score():
    text = results.text(sample())
    assert "zombie: the child becomes a zombie ... OK (0.8s)" in text
    assert "zombie: the parent reaps it ... FAIL" in text and "    expected: x" in text
    assert text.rstrip().endswith("Score: 2/5")


# -- submissions -------------------------------------------------------------------------------

def test_a_file_is_the_solution(tmp_path):
    path = tmp_path / "bob.py"
    path.write_text("print(1)\n")
    loaded = submission.load(path)
    assert loaded.name == "bob" and loaded.files == {"solution.py": b"print(1)\n"} and not loaded.problem


def test_a_folder_keeps_regular_files_and_needs_solution_py(tmp_path):
    (tmp_path / "carol").mkdir()
    (tmp_path / "carol" / "helper.py").write_text("X = 1\n")
    (tmp_path / "carol" / "main.py").write_text("import helper\n")
    assert submission.load(tmp_path / "carol").problem == (
        "the folder has no solution.py, and 2 other .py files at its top (not one to take for it)")
    (tmp_path / "carol" / "solution.py").write_text("import helper\n")
    assert set(submission.load(tmp_path / "carol").files) == {"solution.py", "helper.py", "main.py"}


def test_a_folder_with_one_py_file_of_any_name_takes_it_for_the_solution(tmp_path):
    """A platform's upload keeps the student's file name (Gradescope, PrairieLearn's upload)."""
    (tmp_path / "upload" / "data").mkdir(parents=True)
    (tmp_path / "upload" / "hw1_zombie.py").write_text("print(1)\n")
    (tmp_path / "upload" / "data" / "lib.py").write_text("X = 1\n")
    assert submission.load(tmp_path / "upload").files == {"solution.py": b"print(1)\n", "data/lib.py": b"X = 1\n"}


@pytest.mark.parametrize("target", ["/etc/shadow", "..", "solution.py"])
def test_links_are_refused_not_followed(tmp_path, target):
    folder = tmp_path / "dave"
    folder.mkdir()
    (folder / "solution.py").write_text("print(1)\n")
    os.symlink(target, folder / "link")
    loaded = submission.load(folder)
    assert loaded.problem == "link is a symbolic link; only regular files are accepted"


def test_a_fifo_and_a_huge_file_are_refused(tmp_path):
    folder = tmp_path / "erin"
    folder.mkdir()
    (folder / "solution.py").write_text("print(1)\n")
    os.mkfifo(folder / "pipe")
    assert "not a regular file" in submission.load(folder).problem
    huge = tmp_path / "huge.py"
    huge.write_bytes(b"#" * (submission.MAX_FILE + 1))
    assert "too large" in submission.load(huge).problem


def test_digest_changes_with_the_content(tmp_path):
    path = tmp_path / "f.py"
    path.write_text("a")
    first = submission.load(path).digest
    path.write_text("b")
    assert submission.load(path).digest != first


# -- checks and their dependencies ---------------------------------------------------------------

def test_a_check_whose_dependency_failed_is_not_run_and_says_why():
    exercise = Exercise("demo", "demo")
    calls = []

    @exercise.check(points=2)
    def first(run):
        """the first thing"""
        raise Failed("a", "b")

    @exercise.check(points=3, after=first)
    def second(run):
        """the second thing"""
        calls.append(run)

    class FakeRun:
        trial = Trial()

        def describe_end(self):
            return "ended"

    outcome = judge(exercise, [FakeRun()])
    assert [c.passed for c in outcome] == [False, False] and calls == []
    assert outcome[1].message == "not checked: it needs “the first thing”, which failed"
    assert exercise.max_score == 5


def test_a_check_must_pass_in_every_trial():
    exercise = Exercise("demo", "demo")

    @exercise.check(points=1)
    def racy(run):
        """holds only sometimes"""
        if run.trial.name == "second":
            raise Failed("it to hold", "it did not")

    class FakeRun:
        def __init__(self, name):
            self.trial = Trial(name=name)

        def describe_end(self):
            return "ended"

    (outcome,) = judge(exercise, [FakeRun("first"), FakeRun("second")])
    assert not outcome.passed and "in run “second”" in outcome.message


# -- limits, from more than one witness ------------------------------------------------------------

def a_run(exit_code, **counters):
    from lab.grading.trace import Run
    return Run(Trial(), 2, [], 1.0, exit_code, 1.0, exit_code is None, 5, "", counters=counters)


def test_the_memory_limit_needs_the_kernel_or_the_engine_to_say_so_not_status_137_alone():
    assert a_run(137, oom_kills=1).limits_hit()[0].startswith("memory limit")
    assert a_run(0, oom_kills=3).limits_hit()[0].startswith("memory limit")  # a child was killed
    assert a_run(137, engine_oom_killed=True).limits_hit()[0].startswith("memory limit")
    assert a_run(137, oom_kills=0, engine_oom_killed=False).limits_hit() == []  # SIGKILL from anyone
    assert a_run(1, pids_limit_hits=5).limits_hit() == ["process limit reached: fork failed at the limit of "
                                                          "128 processes"]
    assert a_run(None).limits_hit() == ["time limit: still running after 5 s (killed)"]


def test_a_process_limit_is_named_before_the_memory_it_may_have_cost():
    """A fork bomb's copies may also run out of memory, on some runs: its verdict stays the same."""
    assert [hit.split(":")[0] for hit in a_run(1, pids_limit_hits=3, oom_kills=1).limits_hit()] == [
        "process limit reached", "memory limit"]
