"""Finding the exercises: each is a folder of exercises/ with a checks.py that defines `exercise`."""

import importlib.util
import os
import traceback
from pathlib import Path

from lab import resources
from lab.errors import ProclabError
from lab.grading.spec import Exercise

# The course order (the tutorial's); an instructor's own exercises folder may add more.
ORDER = ("zombie", "orphan", "reap_handler", "reap_ignore", "daemon", "tickets", "queue", "pipe", "ps", "init")


def root() -> Path:
    """The exercises that come with proclab, or the folder PROCLAB_EXERCISES (`--exercises`) names."""
    return Path(os.environ.get("PROCLAB_EXERCISES") or resources.exercises())


def use(folder) -> None:
    """Take the exercises from `folder` (`--exercises DIR`), here and in what this process starts."""
    folder = Path(folder).resolve()
    if not any(folder.glob("*/checks.py")):
        raise ProclabError(f"no exercise in {folder}: an exercise is a folder with a checks.py")
    os.environ["PROCLAB_EXERCISES"] = str(folder)


def names() -> list:
    found = sorted(p.parent.name for p in root().glob("*/checks.py"))
    return [n for n in ORDER if n in found] + [n for n in found if n not in ORDER]


def load(name: str) -> Exercise:
    path = root() / name / "checks.py"
    if not path.is_file():
        raise ProclabError(f"no exercise named {name!r}; the exercises are: {', '.join(names())}")
    spec = importlib.util.spec_from_file_location(f"proclab_exercise_{name}", path)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as error:  # an instructor's checks.py: where it broke, in one line
        lines = [frame.lineno for frame in traceback.extract_tb(error.__traceback__) if frame.filename == str(path)]
        where = f"{path}:{lines[-1]}" if lines else str(path)
        raise ProclabError(f"exercise {name!r} does not load: {where}: {type(error).__name__}: {error}") from None
    return module.exercise


def folder(name: str) -> Path:
    return root() / name
