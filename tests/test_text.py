"""Every text a student reads exists in English and Chinese, and the Chinese follows the glossary.

Read from the source, so that a text a run rarely reaches (a failure only a broken program
causes) is checked as well as the common ones: every `T(...)` written in lab/ and exercises/
(the labs' narration and the grader's feedback), and every argument that must be one.
"""

import ast
import re
from pathlib import Path

import pytest

from lab.text import CLAUSES, GLOSSARY, LANGUAGES, T, default_language, join

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted(p for folder in ("lab", "exercises") for p in (ROOT / folder).rglob("*.py")
                 if "programs" not in p.parts)  # a lab's programs print what the lab shows, in English
CJK = re.compile("[\u4e00-\u9fff]")
# English prose: a word of four letters or more outside `code`, {fields} and the names of things
PROSE = re.compile(r"\b[A-Za-z]{4,}\b")
CODE = re.compile(r"`[^`]*`|\b\w+-[\w-]+|\{[^}]*\}|\b[A-Za-z_]+\([^)]*\)|\b[\w.]*_[\w.]*\b|\b[A-Z]{2,}\w*\b|[\w./-]+\.py\b")


def literal(node) -> str:
    """The text of a string literal or f-string, its replacement fields as `{}`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(part.value if isinstance(part, ast.Constant) else "{}" for part in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = literal(node.left), literal(node.right)
        return None if left is None or right is None else left + right
    return None


def texts():
    """(where, English, Chinese) for every T(...) whose two texts are written out."""
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "T" and len(node.args) == 2:
                en, zh = (literal(arg) for arg in node.args)
                if en is not None and zh is not None:
                    yield f"{path.relative_to(ROOT)}:{node.lineno}", en, zh


TEXTS = list(texts())


def test_the_source_has_texts_to_check():
    assert len(TEXTS) > 780, len(TEXTS)  # near the count when written: a scan that finds fewer has broken


@pytest.mark.parametrize("where, en, zh", TEXTS, ids=[where for where, _, _ in TEXTS])
def test_a_text_says_something_in_both_languages(where, en, zh):
    assert bool(en.strip()) == bool(zh.strip()), f"{where}: one language is empty: {en!r} / {zh!r}"
    words = re.compile(r"\w+")
    if PROSE.search(CODE.sub(" ", en)) and words.findall(en) != words.findall(zh):  # not only names and commands
        assert CJK.search(zh), f"{where}: the Chinese is not Chinese: {zh!r}"


@pytest.mark.parametrize("where, en, zh", TEXTS, ids=[where for where, _, _ in TEXTS])
def test_a_text_follows_the_glossary(where, en, zh):
    for term in GLOSSARY:
        if re.search(term.en, CODE.sub(" ", en), re.IGNORECASE) and CJK.search(zh):
            assert term.zh in zh, f"{where}: {term.en!r} in English, but no {term.zh} in: {zh}"
        for wording in term.avoid:
            assert wording not in zh, f"{where}: {wording!r} (see lab/text.py's GLOSSARY): {zh}"


def test_apue_half_duplex_is_glossed_once():
    """`Pipe(duplex=False)` is 单向管道; APUE's 半双工 is named once, beside it, for readers of APUE."""
    assert sum(zh.count("半双工") for _, _, zh in TEXTS) == 1


def grading_sources():
    return [p for p in SOURCES if p.parts[-2:-1] != ("labs",) and ("exercises" in p.parts or "grading" in p.parts)]


def test_what_a_check_tells_a_student_is_never_in_english_only():
    """A title, a hint, what was expected and what was observed: a plain string literal there
    would reach a Chinese reader in English (and `lab.grading.spec` refuses it at run time)."""
    found = []
    for path in grading_sources():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            arguments = []
            if name == "Failed":
                arguments = node.args[:2] + [k.value for k in node.keywords if k.arg in ("expected", "observed")]
            elif name in ("check", "check_exit_status_0", "Exercise"):
                arguments = [k.value for k in node.keywords if k.arg in ("title", "hint")]
                arguments += node.args[1:2] if name == "Exercise" else []
            found += [f"{path.relative_to(ROOT)}:{a.lineno}" for a in arguments if literal(a) is not None]
    assert not found, f"plain strings where a T(en, zh) belongs: {found}"


def test_every_exercise_speaks_both_languages():
    from lab.grading import catalog

    for name in catalog.names():
        exercise = catalog.load(name)
        for item in [exercise.title] + [c.title for c in exercise.checks] + [c.hint for c in exercise.checks if c.hint]:
            assert isinstance(item, T) and all(item(lang).strip() for lang in LANGUAGES), (name, item)


def test_join_and_the_default_language():
    assert join(CLAUSES, [T("a", "甲"), T("b", "乙")]) == T("a; b", "甲；乙")
    assert default_language({"LANG": "zh_CN.UTF-8"}) == "zh"
    assert default_language({"LANG": "zh_TW.UTF-8", "LAB_LANG": "en"}) == "en"
    assert default_language({"LC_ALL": "C.UTF-8", "LANG": "zh_CN.UTF-8"}) == "en"
    assert default_language({}) == "en"
