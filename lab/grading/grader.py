"""Grading one submission: run every trial, judge every check, and always produce a Result.

A result is produced whatever happens: a submission that cannot run, crashes or hangs is graded
(its checks fail with the reason); a failure of the grader itself (the engine went away, a check
raised) gives a result with status ``error``, which is not a grade and is graded again later.

The result is written in one language (`lang`, see lab/text.py): every text of the checks is a
`T`, and the grader's own words are too.
"""

import re
import time

from lab.errors import NotObserved, ProclabError
from lab.grading.conduct import SupervisorLost, perform
from lab.grading.results import CheckResult, Result, grader_error_verdict
from lab.grading.spec import Exercise, Failed
from lab.grading.submission import Submission
from lab.sandbox import Engine
from lab.text import CLAUSES, T, join


FULL_MARKS = T("full marks", "满分")


def grade(exercise: Exercise, submission: Submission, engine: Engine, lang: str = "en") -> Result:
    started = time.monotonic()
    result = Result(exercise.name, submission.name, "failed", "", max_score=exercise.max_score,
                    digest=submission.digest, lang=lang)
    if submission.problem:
        why = T(f"cannot run the submission: {submission.problem.en}", f"无法运行提交的程序：{submission.problem.zh}")
        result.verdict, result.checks = why(lang), [_not_run(check, why, lang) for check in exercise.checks]
    else:
        try:
            runs = [perform(engine, exercise, submission, trial) for trial in exercise.trials]
            result.checks = judge(exercise, runs, lang)
            result.verdict = verdict(runs, result.checks)(lang)
            result.output = _outputs(runs, lang)
        except (ProclabError, NotObserved, *engine.faults) as error:  # the engine's or harness's fault
            result.status, result.verdict = "error", grader_error_verdict(_one_line(error))(lang)
            result.checks = []
        except SupervisorLost as error:
            why = T(f"the submission killed the lab's supervisor ({error}): no credit",
                    f"提交的程序杀死了评分用的监督进程（{error}）：不给分")
            result.verdict, result.checks = why(lang), [_not_run(check, why, lang) for check in exercise.checks]
        except CheckCrashed as error:
            result.status, result.verdict, result.checks = "error", grader_error_verdict(str(error))(lang), []
    result.score = sum(check.points for check in result.checks)
    if result.status != "error":
        result.status = "passed" if result.score == result.max_score else "failed"
        if result.status == "passed":
            result.verdict = FULL_MARKS(lang)
    result.execution_time = time.monotonic() - started
    return result


class CheckCrashed(Exception):
    """A check raised something other than Failed: a bug in the exercise's checks, not the student's."""


def judge(exercise: Exercise, runs: list, lang: str = "en") -> list:
    """Every check over every run, in declaration order; a check passes only if it passes in all."""
    outcomes = {}
    for check in exercise.checks:
        failed_before = [dep for dep in check.after if not outcomes[dep.name].passed]
        if failed_before:
            titles = join(T(", ", "、"), (T(f"“{dep.title.en}”", f"“{dep.title.zh}”") for dep in failed_before))
            why = T(f"not checked: it needs {titles.en}, which failed", f"未检查：它依赖的{titles.zh}没有通过")
            outcomes[check.name] = _not_run(check, why, lang)
            continue
        outcomes[check.name] = _evaluate(check, runs, lang)
    return list(outcomes.values())


def _evaluate(check, runs: list, lang: str) -> CheckResult:
    seconds = None
    for run in runs:
        try:
            seconds = check.test(run)
        except Failed as failure:
            return CheckResult(check.name, check.title(lang), 0, check.points, False,
                               _evidence(check, run, failure)(lang))
        except Exception as error:  # noqa: BLE001 - reported as the grader's fault
            raise CheckCrashed(f"check {check.name} raised {type(error).__name__}: {error}") from error
    return CheckResult(check.name, check.title(lang), check.points, check.points, True,
                       seconds=seconds if isinstance(seconds, (int, float)) else None)


def _evidence(check, run, failure: Failed) -> T:
    lines = [T(f"expected: {failure.expected.en}", f"应当：{failure.expected.zh}"),
             T(f"observed: {failure.observed.en}", f"观察到：{failure.observed.zh}")]
    if len(run.trial.env) or run.trial.args or run.trial.name != "run":
        settings = " ".join([f"{k}={v}" for k, v in run.trial.env.items()] + list(run.trial.args))
        lines.append(T(f"in run “{run.trial.name}”" + (f" ({settings})" if settings else ""),
                       f"在运行“{run.trial.name}”中" + (f"（{settings}）" if settings else "")))
    lines.append(run.describe_end())
    if failure.table:
        rows = "".join("\n  " + row for row in failure.table.splitlines())
        lines.append(T(f"process table at that moment:{rows}", f"那一刻的进程表：{rows}"))
    if check.hint:
        lines.append(T(f"hint: {check.hint.en}", f"提示：{check.hint.zh}"))
    return join("\n", lines)


def _not_run(check, reason: T, lang: str) -> CheckResult:
    return CheckResult(check.name, check.title(lang), 0, check.points, False, reason(lang))


def verdict(runs: list, checks: list) -> T:
    """One line on how the runs went; the checks say the rest."""
    failed = sum(not check.passed for check in checks)
    summary = T(f"{failed} of {len(checks)} checks failed", f"{len(checks)} 项检查中有 {failed} 项未通过")
    for run in runs:
        if hit := run.limits_hit():
            return join(CLAUSES, (hit[0], summary))
    for run in runs:
        if run.exit_code:
            crash = _exception(run.output)
            how = (T(f"crashed: {crash}", f"程序崩溃：{crash}") if crash else
                   T(f"the program exited with status {run.exit_code}", f"程序以退出状态 {run.exit_code} 退出"))
            return join(CLAUSES, (how, summary))
    return summary


def _exception(output: str) -> str:
    """The last line of a Python traceback in the output ("SyntaxError: invalid syntax"), or ''."""
    if "Traceback (most recent call last)" not in output and "Error" not in output:
        return ""
    for line in reversed(output.strip().splitlines()):
        if re.match(r"^[A-Za-z_.]*(Error|Exception|Interrupt|Exit)\b", line):
            return line.strip()[:120]
    return ""


def _outputs(runs: list, lang: str) -> str:
    if len(runs) == 1:
        return runs[0].output_excerpt(lang=lang)
    heading = T("--- run “{}” ---", "--- 运行“{}” ---")(lang)
    return "\n".join(f"{heading.format(run.trial.name)}\n{run.output_excerpt(1000, lang)}" for run in runs)


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())[:300] or type(error).__name__
