"""Graded exercises: run a submission in a locked-down container, score it from what the host observes.

An exercise (exercises/NAME/checks.py) declares its runs and its checks with `Exercise`, `Trial`
and `Failed`; checks read a `Run`. `grade` runs one submission; lab/grading/batch.py a folder.
"""

from lab.grading.spec import Exercise, Failed, Trial
from lab.grading.trace import Run

__all__ = ["Exercise", "Failed", "Run", "Trial"]
