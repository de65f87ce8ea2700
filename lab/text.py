"""Every sentence a student reads, in English and Chinese; which one they read; one glossary.

The course follows a Chinese tutorial, so the labs' narration and the grader's feedback exist in
both languages, side by side in the code that produces them (a `T`), never in a catalogue far
from it: a sentence and its translation are reviewed together. A test fails when a text a
student reads exists in one language only, and another when a text uses a term other than the
glossary's.

The language is chosen once per command: `--lang`, else `LAB_LANG`, else the locale
(`LANG=zh_CN.UTF-8` gives Chinese).
"""

import os
from typing import Iterable, NamedTuple, Union

LANGUAGES = ("en", "zh")


class T(NamedTuple):
    """One text in every language. Labs name roles in braces: "PID {zombie}"."""

    en: str
    zh: str

    def __call__(self, lang: str) -> str:
        return getattr(self, lang)


def text(value: Union[T, str], lang: str) -> str:
    """`value` in `lang`: a `T`'s variant, or a string that is the same in every language (a
    number, a PID, a command line)."""
    return value(lang) if isinstance(value, T) else value


# Between the clauses of one sentence: "time limit: ...; 3 of 6 checks failed".
CLAUSES = T("; ", "；")


def join(separator: Union[T, str], texts: Iterable[T]) -> T:
    """`separator.join(texts)` in every language (Chinese lists take "、" or "；", not ", ")."""
    texts = list(texts)
    return T(*(text(separator, lang).join(t(lang) for t in texts) for lang in LANGUAGES))


def default_language(environ=os.environ) -> str:
    """zh when LAB_LANG says so, or when the locale is Chinese (LANG=zh_CN.UTF-8); else en."""
    if environ.get("LAB_LANG") in LANGUAGES:
        return environ["LAB_LANG"]
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if environ.get(variable):
            return "zh" if environ[variable].startswith("zh") else "en"
    return "en"


class Term(NamedTuple):
    """A glossary entry: where the English text says `en` (a regular expression), the Chinese
    one says `zh`. `avoid`: wordings that must not appear in Chinese (stiff, or wrong)."""

    en: str
    zh: str
    avoid: tuple = ()


# The words of processes, as the labs and the grader use them, in both languages. The tutorial's
# own words are kept where they are right; where two Chinese words are in use, one is chosen.
GLOSSARY = (
    Term(r"\bzombies?\b", "僵尸"),
    Term(r"\borphans?\b", "孤儿"),
    Term(r"\breap(s|ed|ing)?\b", "回收", avoid=("内核亲自回收",)),
    Term(r"\badopt(s|ed|ing)?\b", "收养"),
    Term(r"\bexit status\b", "退出状态", avoid=("作为退出状态退出",)),
    Term(r"\bpending\b", "未决"),
    Term(r"\brace conditions?\b", "竞态条件"),
    Term(r"\bduplex=False\b", "单向管道"),
    Term(r"\bdaemonic\b", "守护"),
    Term(r"\bsubreaper\b", "收割者"),
    Term(r"\bsignal\b", "信号", avoid=("信号照常送达",)),
)
