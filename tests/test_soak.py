"""Soak: the same submissions graded round after round give the same verdicts, and leave nothing.

`make test` runs a quick set twice (a few minutes). `make soak` runs everything — every
hostile program, and every exercise's reference, starter and typical mistakes — more rounds:
PROCLAB_SOAK=full, PROCLAB_SOAK_ROUNDS=n.
"""

import dataclasses
import os
from pathlib import Path

import pytest

from lab.backends import docker as docker_backend
from lab.grading import catalog, submission
from lab.grading.grader import grade
from tests import wrong_solutions
from tests.support import labelled

TESTS = Path(__file__).parent
FULL = os.environ.get("PROCLAB_SOAK") == "full"
ROUNDS = int(os.environ.get("PROCLAB_SOAK_ROUNDS", "2"))
QUICK_ATTACKS = ("fork_bomb", "memory_many", "output_flood", "kill_everything", "fake_results", "syntax_error")
QUICK_EXERCISES = ("zombie", "reap_handler", "tickets", "queue")  # the racy ones: references only


def soak_set(into: Path) -> list:
    """(exercise, path) pairs: hostile programs are graded as zombie submissions with 5 s to run.

    The typical mistakes of tests/wrong_solutions.py are written under `into`, a folder per exercise.
    """
    attacks = [p for p in sorted((TESTS / "hostile").glob("*.py")) if FULL or p.stem in QUICK_ATTACKS]
    items = [("zombie/5s", p) for p in attacks]
    for name in catalog.names():
        folder = catalog.folder(name)
        if FULL:
            items += [(name, folder / "solution.py"), (name, folder / "starter.py")]
            items += [(name, wrong.write(into / name)) for wrong in wrong_solutions.of(name)]
        elif name in QUICK_EXERCISES:
            items.append((name, folder / "solution.py"))
    return items


def load(name: str):
    if name == "zombie/5s":
        return dataclasses.replace(catalog.load("zombie"), time_limit=5)
    return catalog.load(name)


def signature(result) -> tuple:
    return result.status, result.score, result.verdict, tuple(c.name for c in result.checks if not c.passed)


@pytest.mark.container
def test_verdicts_are_identical_round_after_round_and_nothing_is_left(client, tmp_path):
    items = soak_set(tmp_path)
    exercises = {name: load(name) for name, _ in items}
    first, changed = {}, []
    for round_number in range(ROUNDS):
        with docker_backend.DockerEngine(client) as rt:
            for name, path in items:
                seen = signature(grade(exercises[name], submission.load(path), rt))
                key = f"{name}:{path.stem}"
                first.setdefault(key, seen)
                if seen != first[key]:
                    changed.append(f"round {round_number + 1}, {key}: {seen} (first: {first[key]})")
            assert not labelled(client, f"{docker_backend.RUN_LABEL}={rt.run_id}"), "a grading left a container"
    assert not changed, "\n".join(changed)
