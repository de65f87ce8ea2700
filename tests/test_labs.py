"""Every lab, run for real in containers, in every language; and every lab's claims broken.

A lab is correct when it exits 0 with its checks observed. It is *useful* only if it can fail:
for each lab, tests/broken/<lab>/ holds programs that break one of its claims (same file name
as the program of exercises/ they replace), and the lab must then fail, saying what it expected
and what it saw.
"""

import string
from pathlib import Path

import pytest

from lab.labs import CURRICULUM, LABS
from lab.labs.model import LANGUAGES, T
from lab.labs.runner import exercise_program, run_lab

BROKEN = Path(__file__).parent / "broken"


def broken_programs(lab_name: str) -> list:
    return sorted((BROKEN / lab_name).glob("*.py")) if (BROKEN / lab_name).is_dir() else []


@pytest.mark.container
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", list(LABS))
def test_lab_observes_every_claim(name, lang, lab_runtime):
    lines = []
    ok = run_lab(LABS[name], lab_runtime, fast=True, out=lines.append, lang=lang)
    assert ok, "\n".join(lines)


@pytest.mark.container
@pytest.mark.parametrize(
    "name, broken",
    [(name, program) for name in LABS for program in broken_programs(name)],
    ids=lambda value: value if isinstance(value, str) else value.name,
)
def test_lab_fails_when_its_claim_is_broken(name, broken, lab_runtime):
    def programs(relative: str) -> Path:
        return broken if Path(relative).name == broken.name else exercise_program(relative)

    lines = []
    ok = run_lab(LABS[name], lab_runtime, fast=True, out=lines.append, programs=programs)
    report = "\n".join(lines)
    assert not ok, f"the lab passed with a program that breaks its claim:\n{report}"
    assert "expected" in report and "process table" in report, report


def test_every_lab_has_broken_programs():
    missing = [name for name in LABS if not broken_programs(name)]
    assert not missing, f"labs without a program in tests/broken/ that breaks a claim: {missing}"


def texts(lab):
    """Every text of a lab a student reads, with where it is."""
    yield "summary", lab.summary
    yield "intro", lab.intro
    yield "outro", lab.outro
    for number, step in enumerate(lab.steps, 1):
        yield f"step {number} title", step.title
        yield f"step {number} say", step.say
        for check in step.checks + ((step.never,) if step.never else ()):
            yield f"step {number} check", check.says


@pytest.mark.parametrize("name", list(LABS))
def test_every_text_exists_in_every_language_with_the_same_roles(name):
    for where, text in texts(LABS[name]):
        assert isinstance(text, T), f"{name} {where}: not a T(en, zh): {text!r}"
        for lang in LANGUAGES:
            assert text(lang).strip(), f"{name} {where}: no {lang} text"
        roles = [{field for _, field, _, _ in string.Formatter().parse(text(lang)) if field} for lang in LANGUAGES]
        assert all(r == roles[0] for r in roles), f"{name} {where}: the languages name different roles {roles}"


def test_the_curriculum_lists_every_lab_once():
    assert sorted(CURRICULUM) == sorted(LABS) and len(set(CURRICULUM)) == len(CURRICULUM)
