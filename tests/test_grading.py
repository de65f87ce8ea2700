"""The grader: every exercise's reference, starter and typical mistakes, graded for real.

Each WrongSolution in tests/wrong_solutions.py embodies one typical mistake, an edit of the
reference, and names exactly the checks it must fail (`fails`); every other check must pass. A
grader that gives a wrong solution full marks, or takes points for the wrong reason, fails here.
"""

import re

import pytest

from lab.grading import catalog, submission
from lab.grading.grader import grade
from tests.wrong_solutions import WRONG_SOLUTIONS, of

EXERCISES = catalog.names()


def report(result) -> str:
    from lab.grading.results import text
    return text(result)


@pytest.mark.container
@pytest.mark.parametrize("name", EXERCISES)
def test_reference_solution_gets_full_marks(name, engine):
    result = grade(catalog.load(name), submission.load(catalog.folder(name) / "solution.py"), engine)
    assert result.status == "passed" and result.score == result.max_score, report(result)


@pytest.mark.container
@pytest.mark.parametrize("name", EXERCISES)
def test_starter_runs_and_scores_below_full_marks(name, engine):
    result = grade(catalog.load(name), submission.load(catalog.folder(name) / "starter.py"), engine)
    assert result.status == "failed" and 0 <= result.score < result.max_score, report(result)


@pytest.mark.container
@pytest.mark.parametrize("wrong", WRONG_SOLUTIONS, ids=lambda w: w.id)
def test_typical_mistake_loses_exactly_its_checks(wrong, engine, tmp_path):
    exercise = catalog.load(wrong.exercise)
    expected = set(wrong.fails)
    assert expected <= {c.name for c in exercise.checks}, f"{wrong.id}: unknown checks {expected}"
    result = grade(exercise, submission.load(wrong.write(tmp_path)), engine)
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
        assert len(of(name)) >= 3, f"{name}: fewer than 3 typical mistakes"


@pytest.mark.parametrize("wrong", WRONG_SOLUTIONS, ids=lambda w: w.id)
def test_every_wrong_solution_applies_to_the_reference_and_names_checks_of_its_exercise(wrong):
    assert bool(wrong.edits) != bool(wrong.program), f"{wrong.id}: edits or a whole program, not both"
    source = wrong.source()  # each edit's `old` must occur exactly once
    assert source.startswith(f"# mistake: {wrong.what}\n")
    compile(source, wrong.id, "exec")
    checks = {c.name for c in catalog.load(wrong.exercise).checks}
    assert wrong.fails and set(wrong.fails) <= checks, f"{wrong.id}: unknown checks {set(wrong.fails) - checks}"


def test_wrong_solutions_are_grouped_by_exercise_in_catalog_order_with_unique_names():
    assert [w.exercise for w in WRONG_SOLUTIONS] == [name for name in EXERCISES for _ in of(name)]
    assert len({w.id for w in WRONG_SOLUTIONS}) == len(WRONG_SOLUTIONS)
