"""Grading a course's folder of submissions: parallel, bounded, resumable, and tidy.

* Every entry of the folder (a ``.py`` file or a folder) is one student's submission.
* ``--jobs`` graders run at once, each in its own sandbox at a time, all under one run label.
* Each result is written as soon as it is known, atomically (a temporary file renamed): a
  ``NAME.json`` (proclab's JSON, the batch's memory) and, for other formats, the feedback file
  ``NAME.<ext>``. A rerun skips every submission whose JSON holds a grade for the same content
  (a grader error is not a grade: it is graded again). Ctrl-C or SIGTERM stops the batch,
  removes its sandboxes and keeps what was finished; a rerun does the rest.
* One batch per results folder at a time (a lock file in it). The batch's sandboxes carry a
  run label derived from the folder, so a batch that was SIGKILLed is swept at the next start;
  containers of any run whose deadline has passed are swept too.
* ``grades.csv`` (a row per student, a column per check) and a summary are made from the
  JSON files at the end, so they always describe everything graded so far.
"""

import csv
import fcntl
import hashlib
import os
import shutil
import sys
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from tabulate import tabulate
from tqdm import tqdm

from lab.errors import ProclabError
from lab.grading import results, submission
from lab.grading.grader import grade
from lab.grading.spec import Exercise
from lab.sandbox import Engine, connect
from lab.text import CLAUSES, T, join


@dataclass
class Outcome:
    """What a batch did: the results (old and new), and whether it stopped early and why."""

    results: list = field(default_factory=list)
    graded_now: int = 0
    skipped: int = 0
    stopped: Optional[T] = None  # why the batch stopped before the end


def entries(directory: Path) -> dict:
    """Student name -> path, for every submission in `directory` (hidden entries left out)."""
    found = {}
    for path in sorted(Path(directory).iterdir()):
        if path.name.startswith(".") or path.name == "__pycache__":
            continue
        if path.is_file() and path.suffix != ".py":
            continue
        name = path.stem if path.suffix == ".py" else path.name
        found[name if name not in found else path.name] = path
    return found


def previous(out: Path, name: str, digest: str, exercise: str, lang: str = "en") -> Optional[results.Result]:
    """The grade already written for this content, if any (a grader error does not count, nor
    feedback in another language than the one asked for now)."""
    try:
        result = results.Result.from_json((out / f"{name}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError, KeyError):
        return None
    if result.status == "error" or result.digest != digest or result.exercise != exercise or result.lang != lang:
        return None
    return result


class Progress:
    """Done/total, the counts so far and an ETA: a tqdm bar redrawn in place on a terminal; a
    line per result otherwise, which is what a CI log can keep."""

    SHOWN = "{n_fmt}/{total_fmt} ETA {remaining}{postfix}"

    def __init__(self, total: int, stream=sys.stderr, lang: str = "en"):
        self.stream, self.lang = stream, lang
        self.counts = {"passed": 0, "failed": 0, "error": 0}
        self.started = time.monotonic()
        self.bar = tqdm(total=total, file=stream, disable=not stream.isatty(),
                        bar_format="{l_bar}{bar}| " + self.SHOWN, **_width(stream))

    def update(self, result: results.Result) -> None:
        self.counts[result.status] += 1
        if self.bar.disable:
            line = tqdm.format_meter(sum(self.counts.values()), self.bar.total, time.monotonic() - self.started,
                                     bar_format=self.SHOWN, postfix=self._counts())
            self.stream.write(f"{result.submission}: {result.score}/{result.max_score} {result.status}  ({line})\n")
            self.stream.flush()
        else:
            self.bar.set_postfix_str(self._counts(), refresh=False)
            self.bar.update()

    def _counts(self) -> str:
        return T(f"full marks {self.counts['passed']}, below full {self.counts['failed']}, "
                 f"grader errors {self.counts['error']}",
                 f"满分 {self.counts['passed']}，未满分 {self.counts['failed']}，"
                 f"评分出错 {self.counts['error']}")(self.lang)

    def finish(self) -> None:
        self.bar.close()


def _width(stream) -> dict:
    """How tqdm should size the bar so that it never wraps: re-measured at every redraw where
    the terminal's size can be read (a resized window), else COLUMNS (or 80), which tqdm
    would otherwise ignore and draw the line at any length."""
    try:
        os.get_terminal_size(stream.fileno())
        return {"dynamic_ncols": True}
    except (OSError, ValueError, AttributeError):  # io.UnsupportedOperation is both an OSError and a ValueError
        return {"ncols": shutil.get_terminal_size().columns - 1}


def run_id_for(out: Path) -> str:
    """The run label of the batch writing to `out`: the same for every run of that batch."""
    return "batch-" + hashlib.sha256(str(Path(out).resolve()).encode()).hexdigest()[:12]


def claim(out: Path):
    """Lock the results folder for this batch (released by the kernel even on SIGKILL)."""
    out.mkdir(parents=True, exist_ok=True)
    lock = open(out / ".proclab.lock", "w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.close()
        raise ProclabError(f"another `proclab grade` is writing to {out} (it holds {out}/.proclab.lock)") from None
    for stale in out.glob(".*.tmp"):  # half-written by a run that was killed
        stale.unlink()
    return lock


def grade_folder(exercise: Exercise, directory: Path, out: Path, jobs: int = 1, form: str = "text",
                 progress_stream=sys.stderr, backend: Optional[str] = None, lang: str = "en") -> Outcome:
    """Grade every submission in `directory` with the named backend (see `lab.sandbox.connect`),
    the feedback in `lang`."""
    with claim(out):
        return _grade_folder(exercise, directory, out, jobs, form, progress_stream, backend, lang)


def _grade_folder(exercise, directory, out, jobs, form, progress_stream, backend, lang) -> Outcome:
    submissions = {name: submission.load(path) for name, path in entries(directory).items()}
    if not submissions:
        raise ProclabError(f"{directory} holds no submissions (.py files or folders)")
    outcome = Outcome()
    todo = []
    for name, sub in submissions.items():
        sub.name = name
        done = previous(out, name, sub.digest, exercise.name, lang)
        if done:
            outcome.results.append(done)
            outcome.skipped += 1
        else:
            todo.append(sub)

    engine = connect(backend, purpose="grade", run_id=run_id_for(out))
    engine.sweep()  # what a killed run of this batch left, and what any run left past its deadline
    stop = threading.Event()
    local = threading.local()
    progress = Progress(len(todo), progress_stream, lang)

    def work(sub):
        if stop.is_set():
            return None
        try:
            if not hasattr(local, "engine"):
                local.engine = engine.for_thread()
            return grade(exercise, sub, local.engine, lang)
        except Exception as error:  # noqa: BLE001 - a grader bug must not sink the batch
            return results.grader_error(exercise, sub.name, f"{type(error).__name__}: {error}", sub.digest, lang)

    try:
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            pending = {pool.submit(work, sub) for sub in todo}
            try:
                while pending:
                    finished, pending = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
                    for future in finished:
                        result = future.result()
                        if result is None or stop.is_set():
                            continue  # graded after the batch was told to stop: graded again next time
                        _write(out, result, form)
                        outcome.results.append(result)
                        outcome.graded_now += 1
                        progress.update(result)
                        if result.status == "error" and not engine.answers():
                            stop.set()
                            outcome.stopped = T(f"the {engine.name} engine stopped answering; "
                                                "the submissions not graded yet are left for a rerun",
                                                f"{engine.name} 引擎不再应答；尚未评分的提交留待再次运行")
                            for other in pending:
                                other.cancel()
            except KeyboardInterrupt:
                stop.set()
                for future in pending:
                    future.cancel()
                _remove_sandboxes(engine, outcome)  # running gradings fail fast; shutdown returns soon
                raise
    finally:
        progress.finish()
        _remove_sandboxes(engine, outcome)
    write_grades(out, exercise, [r for r in outcome.results if r.submission in submissions])
    return outcome


def _remove_sandboxes(engine: Engine, outcome: Outcome) -> None:
    """Remove the batch's sandboxes; if the engine is gone, say who will."""
    try:
        engine.close()
    except Exception:  # noqa: BLE001 - the engine went away: nothing to do from here
        note = T("its sandboxes could not be removed: the next run of this batch, or `proclab clean`, removes them",
                 "它的沙箱无法移除：这一批的下一次运行，或 `proclab clean`，会移除它们")
        outcome.stopped = join(CLAUSES, (outcome.stopped, note)) if outcome.stopped else note


def _write(out: Path, result: results.Result, form: str) -> None:
    if form != "json":
        results.write(out / f"{result.submission}.{results.EXTENSIONS[form]}", results.render(result, form))
    results.write(out / f"{result.submission}.json", results.plain_json(result))


def write_grades(out: Path, exercise: Exercise, graded: list) -> Path:
    """grades.csv: one row per student, the points of each check, the total and the status."""
    path = out / "grades.csv"
    names = [check.name for check in exercise.checks]
    rows = []
    for result in sorted(graded, key=lambda r: r.submission):
        points = {check.name: check.points for check in result.checks}
        rows.append([result.submission, *[points.get(n, "") for n in names], result.score,
                     result.max_score, result.status, result.verdict])
    temporary = path.with_name(".grades.csv.tmp")
    with open(temporary, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["student", *names, "score", "max_score", "status", "verdict"])
        writer.writerows(rows)
    os.replace(temporary, path)
    return path


def summary(outcome: Outcome, exercise: Exercise, lang: str = "en") -> str:
    """Score distribution, most-failed checks, slowest submissions."""
    graded = [r for r in outcome.results if r.status != "error"]
    errors = [r for r in outcome.results if r.status == "error"]
    now = outcome.graded_now - len(errors)
    parts = [T(f"{exercise.name}: {len(graded)} graded ({now} now, {outcome.skipped} from before), "
               f"{len(errors)} grader errors",
               f"{exercise.name}：已评分 {len(graded)} 份（本次 {now} 份，之前 {outcome.skipped} 份），"
               f"评分出错 {len(errors)} 份")(lang)]
    words = {key: value(lang) for key, value in SUMMARY_WORDS.items()}
    scores = {}
    for result in graded:
        scores[result.score] = scores.get(result.score, 0) + 1
    if graded:
        top = max(scores.values())
        parts.append(tabulate([(f"{s}/{exercise.max_score}", n, "█" * max(1, 30 * n // top))
                               for s, n in sorted(scores.items(), reverse=True)],
                              headers=[words["score"], words["students"], ""]))
        failures = {}
        for result in graded:
            for check in result.checks:
                if not check.passed:
                    failures[check.title] = failures.get(check.title, 0) + 1
        if failures:
            worst = sorted(failures.items(), key=lambda item: -item[1])[:5]
            parts.append(tabulate([(title, n, f"{100 * n / len(graded):.0f}%") for title, n in worst],
                                  headers=[words["most failed"], words["students"], words["share"]]))
        slowest = sorted(graded, key=lambda r: -r.execution_time)[:5]
        parts.append(tabulate([(r.submission, f"{r.execution_time:.1f} s", r.verdict[:60]) for r in slowest],
                              headers=[words["slowest"], words["time"], words["verdict"]]))
    if errors:
        parts.append(words["errors"] + ", ".join(r.submission for r in errors))
    if outcome.stopped:
        parts.append(words["stopped"] + outcome.stopped(lang))
    return "\n\n".join(parts)


SUMMARY_WORDS = {
    "score": T("score", "得分"), "students": T("students", "学生数"), "share": T("share", "占比"),
    "most failed": T("most failed check", "未通过最多的检查"), "slowest": T("slowest submission", "最慢的提交"),
    "time": T("grading time", "评分用时"), "verdict": T("verdict", "结论"),
    "errors": T("grader errors (not grades; a rerun grades them again): ",
                "评分出错（不是成绩；再运行一次会重新评分）："),
    "stopped": T("stopped: ", "已停止："),
}
