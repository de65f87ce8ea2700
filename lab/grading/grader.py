"""Grading one submission: run every trial, judge every check, and always produce a Result.

A result is produced whatever happens: a submission that cannot run, crashes or hangs is graded
(its checks fail with the reason); a failure of the grader itself (the engine went away, a check
raised) gives a result with status ``error``, which is not a grade and is graded again later.
"""

import re
import time

from lab.errors import NotObserved, ProclabError
from lab.grading.conduct import SupervisorLost, perform
from lab.grading.results import CheckResult, Result
from lab.grading.spec import Exercise, Failed
from lab.grading.submission import Submission
from lab.sandbox import Engine


def grade(exercise: Exercise, submission: Submission, engine: Engine) -> Result:
    started = time.monotonic()
    result = Result(exercise.name, submission.name, "failed", "", max_score=exercise.max_score,
                    digest=submission.digest)
    if submission.problem:
        result.verdict = f"cannot run the submission: {submission.problem}"
        result.checks = [_not_run(check, result.verdict) for check in exercise.checks]
    else:
        try:
            runs = [perform(engine, exercise, submission, trial) for trial in exercise.trials]
            result.checks = judge(exercise, runs)
            result.verdict = verdict(runs, result.checks)
            result.output = _outputs(runs)
        except (ProclabError, NotObserved, *engine.faults) as error:  # the engine's or harness's fault
            result.status, result.verdict = "error", f"grader error: {_one_line(error)}"
            result.checks = []
        except SupervisorLost as error:
            result.verdict = f"the submission killed the lab's supervisor ({error}): no credit"
            result.checks = [_not_run(check, result.verdict) for check in exercise.checks]
        except CheckCrashed as error:
            result.status, result.verdict, result.checks = "error", f"grader error: {error}", []
    result.score = sum(check.points for check in result.checks)
    if result.status != "error":
        result.status = "passed" if result.score == result.max_score else "failed"
        if result.status == "passed":
            result.verdict = "full marks"
    result.execution_time = time.monotonic() - started
    return result


class CheckCrashed(Exception):
    """A check raised something other than Failed: a bug in the exercise's checks, not the student's."""


def judge(exercise: Exercise, runs: list) -> list:
    """Every check over every run, in declaration order; a check passes only if it passes in all."""
    outcomes = {}
    for check in exercise.checks:
        failed_before = [dep for dep in check.after if not outcomes[dep.name].passed]
        if failed_before:
            titles = ", ".join(f"“{dep.title}”" for dep in failed_before)
            outcomes[check.name] = _not_run(check, f"not checked: it needs {titles}, which failed")
            continue
        outcomes[check.name] = _evaluate(check, runs)
    return list(outcomes.values())


def _evaluate(check, runs: list) -> CheckResult:
    seconds = None
    for run in runs:
        try:
            seconds = check.test(run)
        except Failed as failure:
            return CheckResult(check.name, check.title, 0, check.points, False, _evidence(check, run, failure))
        except Exception as error:  # noqa: BLE001 - reported as the grader's fault
            raise CheckCrashed(f"check {check.name} raised {type(error).__name__}: {error}") from error
    return CheckResult(check.name, check.title, check.points, check.points, True,
                       seconds=seconds if isinstance(seconds, (int, float)) else None)


def _evidence(check, run, failure: Failed) -> str:
    lines = [f"expected: {failure.expected}", f"observed: {failure.observed}"]
    if len(run.trial.env) or run.trial.args or run.trial.name != "run":
        settings = " ".join([f"{k}={v}" for k, v in run.trial.env.items()] + list(run.trial.args))
        lines.append(f"in run “{run.trial.name}”" + (f" ({settings})" if settings else ""))
    lines.append(run.describe_end())
    if failure.table:
        lines += ["process table at that moment:", *("  " + row for row in failure.table.splitlines())]
    if check.hint:
        lines.append(f"hint: {check.hint}")
    return "\n".join(lines)


def _not_run(check, reason: str) -> CheckResult:
    return CheckResult(check.name, check.title, 0, check.points, False, reason)


def verdict(runs: list, checks: list) -> str:
    """One line on how the runs went; the checks say the rest."""
    failed = sum(not check.passed for check in checks)
    summary = f"{failed} of {len(checks)} checks failed"
    for run in runs:
        if hit := run.limits_hit():
            return f"{hit[0]}; {summary}"
    for run in runs:
        if run.exit_code:
            crash = _exception(run.output)
            how = f"crashed: {crash}" if crash else f"the program exited with status {run.exit_code}"
            return f"{how}; {summary}"
    return summary


def _exception(output: str) -> str:
    """The last line of a Python traceback in the output ("SyntaxError: invalid syntax"), or ''."""
    if "Traceback (most recent call last)" not in output and "Error" not in output:
        return ""
    for line in reversed(output.strip().splitlines()):
        if re.match(r"^[A-Za-z_.]*(Error|Exception|Interrupt|Exit)\b", line):
            return line.strip()[:120]
    return ""


def _outputs(runs: list) -> str:
    if len(runs) == 1:
        return runs[0].output_excerpt()
    return "\n".join(f"--- run “{run.trial.name}” ---\n{run.output_excerpt(1000)}" for run in runs)


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())[:300] or type(error).__name__
