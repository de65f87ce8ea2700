"""The grader: every exercise's reference, starter and typical mistakes, graded for real.

Each WrongSolution in tests/wrong_solutions.py embodies one typical mistake, an edit of the
reference, and names exactly the checks it must fail (`fails`); every other check must pass. A
grader that gives a wrong solution full marks, or takes points for the wrong reason, fails here
(for the mistakes whose turn is Docker's; the others in tests/test_in_place.py).
"""

import re

import pytest

from lab.grading import catalog, submission
from lab.grading.grader import grade
from tests.correct_solutions import CORRECT, on
from tests import wrong_solutions
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
@pytest.mark.parametrize("correct", on("docker"), ids=lambda c: c.id)
def test_a_correct_program_in_another_style_gets_full_marks(correct, engine):
    """tests/correct_solutions.py: fork, spawn, forkserver, subprocess, signal waits..."""
    result = grade(catalog.load(correct.exercise), submission.load(correct.path), engine)
    assert result.status == "passed" and result.score == result.max_score, f"{correct.style}\n{report(result)}"


def test_every_exercise_has_correct_programs_in_other_styles():
    """Each with its style on its first line; spawn and forkserver wherever multiprocessing is
    allowed at all, which each statement says."""
    for name in EXERCISES:
        styles = [c.path.stem for c in CORRECT if c.exercise == name]
        assert len(styles) >= 2, f"{name}: correct programs in only {styles}"
    for correct in CORRECT:
        assert correct.path.read_text().startswith("# style: ") and correct.style, correct.path
        compile(correct.path.read_text(), str(correct.path), "exec")


@pytest.mark.container
@pytest.mark.parametrize("wrong", wrong_solutions.on("docker"), ids=lambda w: w.id)
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


# The header of a statement's table of checks, and what may follow a check's title in a row: the
# details of how it is judged, in parentheses or after a colon.
CHECK_TABLES = {"en": ("| points | check |", (" (", ": ")), "zh": ("| 分数 | 检查项 |", ("（", "：", " ("))}


@pytest.mark.parametrize("name", EXERCISES)
@pytest.mark.parametrize("lang", CHECK_TABLES)
def test_the_statement_lists_the_checks_the_grader_reports(name, lang):
    """What a student reads before submitting is what the feedback says after: every row of the
    statement's table is a check's points and its title in that language (details may follow)."""
    header, details = CHECK_TABLES[lang]
    readme = (catalog.folder(name) / "README.md").read_text()
    assert readme.count(header) == 1, f"exercises/{name}/README.md: no single table under {header!r}"
    table = readme.split(header)[1].split("\n\n")[0]
    rows = re.findall(r"^\| (\d+) \| (.+) \|$", table, re.M)
    checks = catalog.load(name).checks
    assert [int(points) for points, _ in rows] == [c.points for c in checks], f"{name}: points, in order"
    for (_, row), check in zip(rows, checks):
        row, title = row.replace("`", ""), check.title(lang).replace("`", "")  # Markdown's code marks
        assert row == title or row.startswith(tuple(title + d for d in details)), (
            f"exercises/{name}/README.md ({lang}): the row\n  {row}\ndoes not begin with the check's title\n  {title}")


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
