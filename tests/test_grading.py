"""The grader: every exercise's reference, starter and typical mistakes, graded for real.

Each file in tests/submissions/EXERCISE/ embodies one typical mistake and names, in its header
(``# fails: check check ...``), exactly the checks it must fail; every other check must pass. A
grader that gives a wrong solution full marks, or takes points for the wrong reason, fails here.
"""

import re
from pathlib import Path

import pytest

from lab.grading import catalog, submission
from lab.grading.grader import grade

SUBMISSIONS = Path(__file__).parent / "submissions"
EXERCISES = catalog.names()


def wrong_solutions():
    for path in sorted(SUBMISSIONS.glob("*/*.py")):
        yield pytest.param(path.parent.name, path, id=f"{path.parent.name}-{path.stem}")


def declared_failures(path: Path) -> set:
    header = re.search(r"^# fails:(.*)$", path.read_text(), re.MULTILINE)
    assert header, f"{path} has no '# fails:' line"
    return set(header.group(1).split())


def report(result) -> str:
    from lab.grading.results import text
    return text(result)


@pytest.mark.container
@pytest.mark.parametrize("name", EXERCISES)
def test_reference_solution_gets_full_marks(name, lab_runtime):
    result = grade(catalog.load(name), submission.load(catalog.folder(name) / "solution.py"), lab_runtime)
    assert result.status == "passed" and result.score == result.max_score, report(result)


@pytest.mark.container
@pytest.mark.parametrize("name", EXERCISES)
def test_starter_runs_and_scores_below_full_marks(name, lab_runtime):
    result = grade(catalog.load(name), submission.load(catalog.folder(name) / "starter.py"), lab_runtime)
    assert result.status == "failed" and 0 <= result.score < result.max_score, report(result)


@pytest.mark.container
@pytest.mark.parametrize("name, path", list(wrong_solutions()))
def test_typical_mistake_loses_exactly_its_checks(name, path, lab_runtime):
    exercise = catalog.load(name)
    expected = declared_failures(path)
    assert expected <= {c.name for c in exercise.checks}, f"{path}: unknown checks {expected}"
    result = grade(exercise, submission.load(path), lab_runtime)
    failed = {c.name for c in result.checks if not c.passed}
    assert result.status == "failed" and failed == expected, (
        f"failed {sorted(failed)}, expected {sorted(expected)}\n{report(result)}")
    assert result.score == exercise.max_score - sum(c.points for c in exercise.checks if c.name in expected)


def test_every_exercise_is_complete():
    assert EXERCISES == list(catalog.ORDER)
    for name in EXERCISES:
        folder = catalog.folder(name)
        for part in ("README.md", "starter.py", "solution.py", "checks.py"):
            assert (folder / part).is_file(), f"exercises/{name}/{part} is missing"
        readme = (folder / "README.md").read_text()
        assert re.search("[\u4e00-\u9fff]", readme), f"exercises/{name}/README.md has no Chinese part"
        exercise = catalog.load(name)
        assert exercise.name == name and exercise.checks
        assert len({c.name for c in exercise.checks}) == len(exercise.checks)
        assert len(list((SUBMISSIONS / name).glob("*.py"))) >= 3, f"{name}: fewer than 3 typical mistakes"
