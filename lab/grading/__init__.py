"""Graded exercises: run a submission in a sandbox, score it from what the host observes.

This is the whole API an exercise's ``checks.py`` uses: it declares its runs and its checks with
`Exercise`, `Trial` and `Failed`, every text a student reads a `T` (English and Chinese); checks
read a `Run`; `state_of` words a process's state as a
failure message gives it; `NotObserved` is what `Live.observer.wait_for` raises at its deadline,
`ProclabError` what a sandbox raises when it cannot do what a hook asks (it has gone).
Nothing here imports an engine: `grader.grade` grades one submission on an `Engine`
(`lab.sandbox.connect`), `batch` a folder of them.
"""

from lab.errors import NotObserved, ProclabError
from lab.grading.spec import Exercise, Failed, Trial
from lab.grading.trace import Run, state_of
from lab.text import T, join

__all__ = ["Exercise", "Failed", "NotObserved", "ProclabError", "Run", "T", "Trial", "join", "state_of"]
