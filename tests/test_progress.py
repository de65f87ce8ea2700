"""The batch's progress: a bar that never wraps on a terminal, a line per result in a log."""

import io
import re

from lab.grading.batch import Progress
from lab.grading.results import Result


class FakeTerminal(io.StringIO):
    """What a terminal receives; its size cannot be read, as for a pipe that claims to be a tty."""

    def isatty(self) -> bool:
        return True


def results(statuses):
    return [Result("zombies", f"student-with-a-rather-long-name-{i:03d}", status, "", score=i % 4, max_score=3)
            for i, status in enumerate(statuses)]


def test_bar_never_wider_than_an_80_column_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    stream = FakeTerminal()
    progress = Progress(120, stream)
    for result in results(["passed", "failed", "error"] * 40):
        progress.update(result)
    progress.finish()
    lines = [line for line in re.split("[\r\n]", stream.getvalue()) if line]
    assert lines, "nothing was drawn"
    assert max(len(line) for line in lines) <= 80, max(lines, key=len)
    assert "120/120" in lines[-1] and "full marks 40, below full 40, grader errors 40" in lines[-1]


def test_a_line_per_result_when_not_a_terminal():
    stream = io.StringIO()
    progress = Progress(3, stream)
    for result in results(["passed", "failed", "error"]):
        progress.update(result)
    progress.finish()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("student-with-a-rather-long-name-000: 0/3 passed  (1/3 ETA ")
    assert lines[2].endswith("3/3 ETA 00:00, full marks 1, below full 1, grader errors 1)")
