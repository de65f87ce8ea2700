"""Correct programs in other styles than the reference: tests/correct/EXERCISE/STYLE.py.

A student may solve an exercise with `os.fork`, with any start method of `multiprocessing` the
statement allows (fork, spawn, forkserver: the default from Python 3.14), with `subprocess`, with
a signal handler or a signal wait. Each file is such a program, written from the statement, its
first line `# style: ...` saying which; each must get full marks.

Each is graded on one backend, an exercise's styles taking turns (Docker first), as the
typical mistakes do (in place first): Docker in tests/test_grading.py, in place in
tests/test_in_place.py's batch of the exercise. What differs between the backends (who the
reaper is, how the sandbox starts) is the grader's, tested there with the references and the
starters, graded on both; a style is about the program.
"""

from pathlib import Path
from typing import NamedTuple

from lab.sandbox import BACKENDS

FOLDER = Path(__file__).parent / "correct"


class Correct(NamedTuple):
    exercise: str
    path: Path
    backend: str

    @property
    def id(self) -> str:
        return f"{self.exercise}-{self.path.stem}"

    @property
    def style(self) -> str:
        return self.path.read_text().splitlines()[0].removeprefix("# style:").strip()


def _all() -> list:
    found = []
    for folder in sorted(p for p in FOLDER.iterdir() if p.is_dir()):
        for turn, path in enumerate(sorted(folder.glob("*.py"))):
            found.append(Correct(folder.name, path, BACKENDS[turn % len(BACKENDS)]))
    return found


CORRECT = _all()


def on(backend: str, exercise: str = None) -> list:
    """The correct programs graded on `backend` (of one exercise, if named)."""
    return [c for c in CORRECT if c.backend == backend and exercise in (None, c.exercise)]
