"""Graded exercises: run a submission in a locked-down container, score it from what the host observes.

An exercise (exercises/NAME/checks.py) declares its runs and its checks with `Exercise`, `Trial`
and `Failed`; checks read a `Run`. `grader.grade` grades one submission; `batch` a folder.

The names are imported on first use (PEP 562): `proclab ps` runs inside the lab image, which has
no Docker SDK, and must be able to import `lab.grading.results` without it.
"""

import importlib

_HOMES = {"Exercise": "spec", "Failed": "spec", "Trial": "spec", "Run": "trace"}

__all__ = sorted(_HOMES)


def __getattr__(name):
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)
