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
from lab.text import T


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
    assert submission.load(tmp_path / "carol").problem.en == (
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
    assert loaded.problem.en == "link is a symbolic link; only regular files are accepted"


def test_a_fifo_and_a_huge_file_are_refused(tmp_path):
    folder = tmp_path / "erin"
    folder.mkdir()
    (folder / "solution.py").write_text("print(1)\n")
    os.mkfifo(folder / "pipe")
    assert "not a regular file" in submission.load(folder).problem.en
    huge = tmp_path / "huge.py"
    huge.write_bytes(b"#" * (submission.MAX_FILE + 1))
    assert "too large" in submission.load(huge).problem.en


def test_digest_changes_with_the_content(tmp_path):
    path = tmp_path / "f.py"
    path.write_text("a")
    first = submission.load(path).digest
    path.write_text("b")
    assert submission.load(path).digest != first


# -- checks and their dependencies ---------------------------------------------------------------

class FakeRun:
    """A run that ended; a check below decides on its trial alone."""

    def __init__(self, name="run"):
        self.trial = Trial(name=name)

    def describe_end(self):
        return T("ended", "已结束")


def two_checks():
    exercise = Exercise("demo", T("demo", "演示"))
    calls = []

    @exercise.check(points=2, title=T("the first thing", "第一件事"), hint=T("do it first", "先做它"))
    def first(run):
        raise Failed(T("a", "甲"), T("b", "乙"))

    @exercise.check(points=3, after=first, title=T("the second thing", "第二件事"))
    def second(run):
        calls.append(run)

    return exercise, calls


def test_a_check_whose_dependency_failed_is_not_run_and_says_why():
    exercise, calls = two_checks()
    outcome = judge(exercise, [FakeRun()])
    assert [c.passed for c in outcome] == [False, False] and calls == []
    assert outcome[1].message == "not checked: it needs “the first thing”, which failed"
    assert exercise.max_score == 5


def test_a_judgement_in_chinese_and_every_format_of_it():
    exercise, _ = two_checks()
    outcome = judge(exercise, [FakeRun()], "zh")
    assert [c.title for c in outcome] == ["第一件事", "第二件事"]
    assert outcome[0].message == "应当：甲\n观察到：乙\n已结束\n提示：先做它"
    assert outcome[1].message == "未检查：它依赖的“第一件事”没有通过"
    result = Result("demo", "alice", "failed", "2 项检查中有 2 项未通过", 0, 5, outcome, "", 1.0, lang="zh")
    assert "demo: 第一件事 ... 未通过" in results.text(result) and "得分：0/5" in results.text(result)
    assert json.loads(results.gradescope(result))["tests"][0]["name"] == "第一件事"
    assert json.loads(results.prairielearn(result))["tests"][1]["message"] == "未检查：它依赖的“第一件事”没有通过"
    assert "第一件事" in results.junit(result)


def test_a_plain_string_where_a_student_reads_is_refused():
    exercise = Exercise("demo", T("demo", "演示"))
    with pytest.raises(TypeError, match="must be a T"):
        exercise.check(points=1, title="in English only")(lambda run: None)
    with pytest.raises(TypeError, match="must be a T"):
        Failed("in English", T("b", "乙"))
    with pytest.raises(TypeError, match="must be a T"):
        Exercise("demo", "demo")


def test_a_check_must_pass_in_every_trial():
    exercise = Exercise("demo", T("demo", "演示"))

    @exercise.check(points=1, title=T("holds only sometimes", "只是有时成立"))
    def racy(run):
        if run.trial.name == "second":
            raise Failed(T("it to hold", "它成立"), T("it did not", "它不成立"))

    (outcome,) = judge(exercise, [FakeRun("first"), FakeRun("second")])
    assert not outcome.passed and "in run “second”" in outcome.message


# -- limits, from more than one witness ------------------------------------------------------------

def a_run(exit_code, **counters):
    from lab.grading.trace import Run
    return Run(Trial(), 2, [], 1.0, exit_code, 1.0, exit_code is None, 5, "", counters=counters)


def test_the_memory_limit_needs_the_kernel_or_the_engine_to_say_so_not_status_137_alone():
    assert a_run(137, oom_kills=1).limits_hit()[0].en.startswith("memory limit")
    assert a_run(0, oom_kills=3).limits_hit()[0].en.startswith("memory limit")  # a child was killed
    assert a_run(137, engine_oom_killed=True).limits_hit()[0].en.startswith("memory limit")
    assert a_run(137, oom_kills=0, engine_oom_killed=False).limits_hit() == []  # SIGKILL from anyone
    assert a_run(1, pids_limit_hits=5).limits_hit() == [T("process limit reached: fork failed at the limit of "
                                                            "128 processes", "达到进程数上限：fork 在 128 个进程的上限处失败")]
    assert a_run(None).limits_hit() == [T("time limit: still running after 5 s (killed)",
                                          "时间上限：5 秒后仍在运行（已被杀死）")]


def test_a_process_limit_is_named_before_the_memory_it_may_have_cost():
    """A fork bomb's copies may also run out of memory, on some runs: its verdict stays the same."""
    assert [hit.en.split(":")[0] for hit in a_run(1, pids_limit_hits=3, oom_kills=1).limits_hit()] == [
        "process limit reached", "memory limit"]


def test_the_batch_report_in_chinese():
    from lab.grading import batch

    exercise, _ = two_checks()
    graded = [Result("demo", name, "failed", "2 项检查中有 2 项未通过", 0, 5,
                     judge(exercise, [FakeRun()], "zh"), "", 1.0, lang="zh") for name in ("alice", "bob")]
    error = results.grader_error(exercise, "carol", "engine gone", lang="zh")
    report = batch.summary(batch.Outcome(results=graded + [error], graded_now=3), exercise, "zh")
    assert report.startswith("demo：已评分 2 份（本次 2 份，之前 0 份），评分出错 1 份"), report
    assert "未通过最多的检查" in report and "第一件事" in report and "最慢的提交" in report
    assert "评分出错（不是成绩；再运行一次会重新评分）：carol" in report
    assert error.verdict == "评分程序出错：engine gone"
