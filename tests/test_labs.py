"""Every lab, run for real in containers, in every language; and every lab's claims broken.

A lab is correct when it exits 0 with its checks observed. It is *useful* only if it can fail:
tests/mistakes.py lists typical mistakes, each a small edit of one of a lab's programs, and the
lab must then fail, saying what it expected and what it saw.
"""

import string

import pytest

from lab.labs import CURRICULUM, LABS
from lab.labs.model import LANGUAGES, T
from lab.labs.runner import lab_program, run_lab
from tests.mistakes import MISTAKES, apply_edits


@pytest.mark.container
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", list(LABS))
def test_lab_observes_every_claim(name, lang, lab_runtime):
    lines = []
    ok = run_lab(LABS[name], lab_runtime, fast=True, out=lines.append, lang=lang)
    assert ok, "\n".join(lines)


def make_mistake(mistake, directory):
    """The program of `mistake` with its edits applied, written under `directory`."""
    source = apply_edits(lab_program(mistake.program).read_text(), mistake.edits, mistake.id)
    path = directory / lab_program(mistake.program).name
    path.write_text(source)
    return path


@pytest.mark.container
@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda m: m.id)
def test_lab_fails_when_a_program_makes_a_typical_mistake(mistake, lab_runtime, tmp_path):
    wrong = make_mistake(mistake, tmp_path)
    lines = []
    ok = run_lab(LABS[mistake.lab], lab_runtime, fast=True, out=lines.append,
                 programs=lambda relative: wrong if relative == mistake.program else lab_program(relative))
    report = "\n".join(lines)
    assert not ok, f"the lab passed with a program that breaks its claim:\n{report}"
    assert "expected" in report and "process table" in report, report


def test_every_lab_can_fail():
    assert {m.lab for m in MISTAKES} == set(LABS), "a lab without a mistake in tests/mistakes.py"


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
