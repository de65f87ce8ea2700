"""Every lab, run for real on every backend (in containers, and in place), in every language;
and every lab's claims broken.

A lab is correct when it exits 0 with its checks observed. It is *useful* only if it can fail:
tests/mistakes.py lists typical mistakes, each a small edit of one of a lab's programs, and the
lab must then fail, saying what it expected and what it saw.

What a student reads must be true where the lab runs: every text, in both languages, on both
backends, names only what exists there (roles the lab names, the place's fields), and the texts
in place claim nothing that only a container has.
"""

import re
import string
from pathlib import Path
from types import SimpleNamespace

import pytest

from lab.labs import CURRICULUM, LABS
from lab.labs.model import ByBackend, Run, Shell, on
from lab.text import LANGUAGES, T
from lab.labs.places import FIELDS, place_of
from lab.labs.runner import PROGRAMS, SAYS, lab_program, run_lab
from lab.sandbox import BACKENDS, connect
from tests.mistakes import MISTAKES, apply_edits

# Docker tests are marked `container` (CI counts them); in place needs Linux and nothing else.
def run_on(backend: str, *values):
    """A test's parameters with `backend` last, marked `container` when that is Docker."""
    return pytest.param(*values, backend, marks=[pytest.mark.container] if backend == "docker" else [])


@pytest.fixture
def lab_engine(backend, request):
    """An engine of `backend` whose sandboxes are all removed when the test ends."""
    if backend == "docker":
        yield request.getfixturevalue("engine")
        return
    with connect("local", purpose="lab") as engine:
        yield engine


# Every lab on both backends, its narration's language alternating between them: each lab runs
# in both languages and on both backends in half the runs of every combination (the suite's time
# limit). That every text exists, in both languages, with the same fields, is checked below
# without running anything.
EVERY_LAB_ON_EVERY_BACKEND = pytest.mark.parametrize("name, lang, backend", [
    run_on(backend, name, LANGUAGES[(index + turn) % len(LANGUAGES)])
    for index, name in enumerate(LABS) for turn, backend in enumerate(BACKENDS)])

# Each typical mistake on one backend, alternating: a lab with two mistakes fails for one on each
# backend, labs with one alternate. Every lab's claims hold on both backends (above); what a
# mistake shows is that those claims, shared by both backends, can fail.
def each_on_one_backend(mistakes) -> list:
    """A lab's mistakes take turns on the backends, starting from the lab's own turn."""
    turns = {name: index for index, name in enumerate(LABS)}
    params = []
    for mistake in mistakes:
        params.append(run_on(BACKENDS[turns[mistake.lab] % len(BACKENDS)], mistake))
        turns[mistake.lab] += 1
    return params


EVERY_MISTAKE_ON_ONE_BACKEND = pytest.mark.parametrize("mistake, backend", each_on_one_backend(MISTAKES),
                                                       ids=lambda value: getattr(value, "id", value))


@EVERY_LAB_ON_EVERY_BACKEND
def test_lab_observes_every_claim(name, lang, lab_engine):
    lines = []
    ok = run_lab(LABS[name], lab_engine, fast=True, out=lines.append, lang=lang)
    assert ok, "\n".join(lines)


def make_mistake(mistake, directory):
    """The program of `mistake` with its edits applied, written under `directory`."""
    source = apply_edits(lab_program(mistake.program).read_text(), mistake.edits, mistake.id)
    path = directory / lab_program(mistake.program).name
    path.write_text(source)
    return path


@EVERY_MISTAKE_ON_ONE_BACKEND
def test_lab_fails_when_a_program_makes_a_typical_mistake(mistake, lab_engine, tmp_path):
    wrong = make_mistake(mistake, tmp_path)
    lines = []
    ok = run_lab(LABS[mistake.lab], lab_engine, fast=True, out=lines.append,
                 programs=lambda relative: wrong if relative == mistake.program else lab_program(relative))
    report = "\n".join(lines)
    assert not ok, f"the lab passed with a program that breaks its claim:\n{report}"
    assert "expected" in report and "process table" in report, report


def test_every_lab_can_fail():
    assert {m.lab for m in MISTAKES} == set(LABS), "a lab without a mistake in tests/mistakes.py"


def texts(lab, backends=BACKENDS):
    """Every text of a lab a student reads on one of `backends`, with where it is (a T, or a
    ByBackend of T). A check that only one backend makes is a text of that backend only."""
    yield "summary", lab.summary
    yield "intro", lab.intro
    yield "outro", lab.outro
    for number, step in enumerate(lab.steps, 1):
        yield f"step {number} title", step.title
        yield f"step {number} say", step.say
        checks = {check for backend in backends for check in on(step.checks, backend)}
        for check in sorted(checks, key=lambda c: repr(c.says)) + ([step.never] if step.never else []):
            yield f"step {number} check", check.says


def variants(text):
    """(backend, T) for every backend: each its own variant, or the one text on all."""
    return [(backend, on(text, backend)) for backend in BACKENDS]


UNFILLED = ("summary", "intro", "outro")  # read before any sandbox exists: nothing fills braces


def fields(text: str) -> set:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def named_roles(lab) -> set:
    """Every role a lab names: the programs it runs, the processes its checks bind, the reaper."""
    roles = {"reaper"}
    for step in lab.steps:
        roles |= {action.role for action in step.do if isinstance(action, Run)}
        for backend in BACKENDS:
            roles |= {check.bind for check in on(step.checks, backend) if check.bind}
    return roles


def place(backend: str, reaps: bool = True):
    """The place of a made-up sandbox of `backend` (what the runner builds for a real one)."""
    sandbox = SimpleNamespace(backend=backend, reaper=1 if backend == "docker" else 4321,
                              started_ppid=0 if backend == "docker" else 4321,
                              student_uid=1000 if backend == "docker" else 64000)
    return place_of(sandbox, reaps)


def filled(lab, text: T, backend: str, lang: str, reaps: bool = True) -> str:
    """`text` in `lang` as a student reads it on `backend`, with made-up PIDs for the roles."""
    roles = {role: 100 + number for number, role in enumerate(sorted(named_roles(lab)))}
    roles["reaper"] = place(backend, reaps).reaper
    return text(lang).format(**roles, **place(backend, reaps).fields(lang))


@pytest.mark.parametrize("name", list(LABS))
def test_every_text_exists_in_every_language_with_the_same_roles(name):
    for where, text in texts(LABS[name]):
        assert isinstance(text, (T, ByBackend)), f"{name} {where}: not a T(en, zh): {text!r}"
        for backend, variant in variants(text):
            assert isinstance(variant, T), f"{name} {where} ({backend}): not a T(en, zh): {variant!r}"
            for lang in LANGUAGES:
                assert variant(lang).strip(), f"{name} {where} ({backend}): no {lang} text"
            roles = [fields(variant(lang)) for lang in LANGUAGES]
            assert all(r == roles[0] for r in roles), \
                f"{name} {where} ({backend}): the languages name different roles {roles}"


@pytest.mark.parametrize("name", list(LABS))
def test_every_text_names_only_what_exists_and_reads_on_every_backend(name):
    """A text names roles the lab names and the place's fields; the ones read before any sandbox
    exists name nothing (summary, intro, outro), and the summary is the same everywhere."""
    lab = LABS[name]
    known = named_roles(lab) | set(FIELDS)
    assert isinstance(lab.summary, T), f"{name}: the summary must be one T (`proclab lab --list`)"
    for where, text in texts(lab):
        for backend, variant in variants(text):
            for lang in LANGUAGES:
                named = fields(variant(lang))
                if where in UNFILLED:
                    assert not named, f"{name} {where} ({backend}, {lang}) names {named}: nothing fills them"
                    continue
                assert named <= known, f"{name} {where} ({backend}, {lang}): {named - known} is named nowhere"
                for reaps in (True, False):
                    assert filled(lab, variant, backend, lang, reaps)


@pytest.mark.parametrize("name", list(LABS))
def test_what_differs_by_backend_really_differs(name):
    for where, text in texts(LABS[name]):
        if isinstance(text, ByBackend):
            assert text.docker != text.local, f"{name} {where}: a ByBackend with the same text on both"
    for number, step in enumerate(LABS[name].steps, 1):
        if isinstance(step.checks, ByBackend):
            assert step.checks.docker != step.checks.local, f"{name} step {number}: the same checks on both"
        for action in step.do:
            if isinstance(action, Shell) and isinstance(action.command, ByBackend):
                assert action.command.docker != action.command.local, f"{name} step {number}: {action}"


# What a text must not say on a backend, because it is true only on the other (patterns). In place
# the lab's files are in its own working directory, not in /tmp; a started program's PPID is the
# supervisor's; there is no container around the lab. In a container there is no supervisor.
NOT_TRUE_ON = {
    "local": (r"/tmp", r"docker exec", r"\bPPID [01]\b", r"docker-init", r"in this container", r"在这个容器",
              r"the container's own", r"容器自己的", r"PID 1 (is|是) (docker|tini)"),
    "docker": (r"supervisor", r"监督进程", r"subtree", r"子树", r"--under", r"in place", r"原地"),
}


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", list(LABS))
def test_no_text_claims_what_is_true_only_on_the_other_backend(name, backend):
    lab = LABS[name]
    for where, text in texts(lab, (backend,)):
        for lang in LANGUAGES:
            variant = on(text, backend)
            read = variant(lang) if where in UNFILLED else filled(lab, variant, backend, lang)
            for pattern in NOT_TRUE_ON[backend]:
                assert not re.search(pattern, read), f"{name} {where} ({lang}) says {pattern!r} on {backend}:\n{read}"


@pytest.mark.parametrize("name", list(LABS))
def test_every_command_reads_on_every_backend(name):
    """Shell commands name roles and fields that exist; in place no command lists the whole
    machine where the lab means its sandbox (ps -e, ps aux, a pgrep of every user)."""
    lab = LABS[name]
    known = named_roles(lab) | set(FIELDS)
    for number, step in enumerate(lab.steps, 1):
        for action in step.do:
            if not isinstance(action, Shell):
                continue
            for backend in BACKENDS:
                command = on(action.command, backend)
                assert fields(command) <= known, f"{name} step {number} ({backend}): {command}"
                roles = {role: 100 for role in named_roles(lab)}
                text = command.format(**roles, **place(backend).fields("en"))
                if backend == "local":
                    assert not re.search(r"\bps (-ef|-e |aux)|pgrep (?!.*-u)", text), \
                        f"{name} step {number}: in place this lists the whole machine: {text}"


def test_the_runner_says_everything_in_every_language_on_every_backend():
    for key, text in SAYS.items():
        for backend, variant in variants(text):
            assert isinstance(variant, T), f"{key} ({backend})"
            assert all(variant(lang).strip() for lang in LANGUAGES), f"{key} ({backend})"
            roles = [fields(variant(lang)) for lang in LANGUAGES]
            assert all(r == roles[0] for r in roles), f"{key} ({backend}): {roles}"
            for pattern in NOT_TRUE_ON[backend]:
                assert not any(re.search(pattern, variant(lang)) for lang in LANGUAGES), f"{key} ({backend})"


def test_no_lab_program_writes_to_the_shared_tmp():
    """In place /tmp is the machine's, shared with everyone: programs write in their working directory."""
    for path in Path(PROGRAMS).rglob("*.py"):
        assert "/tmp" not in path.read_text(), f"{path} names /tmp"


def test_the_curriculum_lists_every_lab_once():
    assert sorted(CURRICULUM) == sorted(LABS) and len(set(CURRICULUM)) == len(CURRICULUM)


def test_a_text_that_differs_by_backend_has_one_variant_per_backend():
    assert ByBackend._fields == BACKENDS
