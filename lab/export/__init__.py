"""`proclab export`: one exercise, packed for whoever runs it next.

* ``student``: what students get: the statement and the starter, never the reference or checks;
* ``gradescope``: an autograder zip (setup.sh, run_autograder, proclab's wheel, the exercise);
* ``prairielearn``: a question folder and its external grader image's recipe;
* ``github``: a GitHub Classroom / Actions workflow that grades on the runner.

Each target is a module of this package with ``export(exercise, out, lang) -> Path``, `lang` the
language of the feedback the course's students get; the autograder bundles grade in place
(``--backend local``) where the platform gives no Docker engine.
"""

import importlib
from pathlib import Path

from lab.grading.spec import Exercise

TARGETS = {
    "student": "statement and starter only",
    "gradescope": "an autograder .zip",
    "prairielearn": "a question folder with its grader image",
    "github": "a GitHub Classroom workflow",
}


def export(target: str, exercise: Exercise, out: Path, lang: str = "en") -> Path:
    """Write `target`'s bundle of `exercise` at `out` (made with its parents), its feedback in
    `lang`; return its path."""
    return importlib.import_module(f"lab.export.{target}").export(exercise, Path(out), lang)
