"""A grading result, and the formats course platforms read it in.

`Result.status` is one of

* ``passed``: graded, full marks;
* ``failed``: graded, not full marks (a crash, a hang or a submission that cannot run is graded
  too: its checks fail, and `verdict` says why);
* ``error``: the *grader* could not grade (the engine went away, the image is missing): this is
  not a grade. Every format marks it as such (PrairieLearn: ``gradable: false``; JUnit:
  ``<error>``; Gradescope: a score of 0 with the reason and ``extra_data.status = "error"``),
  and a resumed batch grades it again.
"""

import json
import os
import re
import threading
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Optional

from lab.text import T

FORMATS = ("text", "json", "gradescope", "prairielearn", "junit")
# A platform reads the result file, whatever the grade; PrairieLearn discards it when the grader
# exits non-zero. So once one of these is written, `proclab grade` exits 0.
PLATFORM_FORMATS = ("gradescope", "prairielearn")
EXTENSIONS = {"text": "txt", "json": "json", "gradescope": "json", "prairielearn": "json", "junit": "xml"}


@dataclass
class CheckResult:
    name: str
    title: str
    points: int
    max_points: int
    passed: bool
    message: str = ""  # why it failed: expected, observed, the table, the hint
    seconds: Optional[float] = None  # when, into the run, the deciding observation was made


@dataclass
class Result:
    exercise: str
    submission: str
    status: str  # passed | failed | error
    verdict: str  # one line: "full marks", "time limit: ...", "grader error: ..."
    score: int = 0
    max_score: int = 0
    checks: list = field(default_factory=list)
    output: str = ""  # the program's output, capped, for the student to read
    execution_time: float = 0.0
    digest: str = ""  # fingerprint of the submission graded
    lang: str = "en"  # the language its texts are in (lab/text.py)

    @classmethod
    def from_json(cls, text: str) -> "Result":
        data = json.loads(text)
        data["checks"] = [CheckResult(**c) for c in data.get("checks", [])]
        return cls(**data)


def grader_error_verdict(reason: str) -> T:
    """A grader error's verdict; `reason` is the engine's or Python's own words, untranslated."""
    return T(f"grader error: {reason}", f"评分程序出错：{reason}")


def grader_error(exercise, submission: str, reason: str, digest: str = "", lang: str = "en") -> Result:
    """The result when the grader itself failed: not a grade (every format marks it so)."""
    return Result(exercise.name, submission, "error", grader_error_verdict(reason)(lang),
                  max_score=exercise.max_score, digest=digest, lang=lang)


# The words of the formats around the checks' own texts.
WORDS = {
    "ok": T("OK", "通过"),
    "fail": T("FAIL", "未通过"),
    "not a grade": T("GRADER ERROR (this is not a grade): ", "评分程序出错（这不是成绩）："),
    "not a grade, again": T("GRADER ERROR (this is not a grade; the submission must be graded again): ",
                            "评分程序出错（这不是成绩；这份提交需要重新评分）："),
    "verdict": T("Verdict: ", "结论："),
    "output": T("Program output (the end of it):", "程序的输出（末尾部分）："),
    "score": T("Score: ", "得分："),
    "passed": T("passed", "通过"),
}


def _word(key: str, result: "Result") -> str:
    return WORDS[key](result.lang)


# characters XML 1.0 cannot carry at all (a program may print anything, NUL included)
_NOT_XML = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def write(path: Path, text: str) -> None:
    """Write a result file whole or not at all: a platform or a resumed batch that reads it
    never sees half of one. Missing parent folders are made, as a platform's `--out` expects."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def render(result: Result, form: str) -> str:
    return {"text": text, "json": plain_json, "gradescope": gradescope,
            "prairielearn": prairielearn, "junit": junit}[form](result)


def _indent(block: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line if line else line for line in block.splitlines())


def text(result: Result) -> str:
    """What a person reads in a terminal: one line per check, evidence under each failure."""
    lines = []
    for check in result.checks:
        when = f" ({check.seconds:.1f}s)" if check.seconds is not None else ""
        mark = _word("ok", result) + when if check.passed else _word("fail", result)
        lines.append(f"{result.exercise}: {check.title} ... {mark}")
        if not check.passed and check.message:
            lines.append(_indent(check.message))
    if result.status == "error":
        lines.append(_word("not a grade", result) + result.verdict)
    elif result.status != "passed":
        lines.append(_word("verdict", result) + result.verdict)
    if result.output and result.status != "passed":
        lines.append(_word("output", result))
        lines.append(_indent(result.output))
    lines.append(f"{_word('score', result)}{result.score}/{result.max_score}")
    return "\n".join(lines) + "\n"


def plain_json(result: Result) -> str:
    """proclab's own JSON: everything, and what `Result.from_json` reads back."""
    return json.dumps(asdict(result), indent=2, ensure_ascii=False) + "\n"


def _check_output(check: CheckResult, result: Result) -> str:
    return _word("passed", result) if check.passed else check.message


def gradescope(result: Result) -> str:
    """Gradescope's results.json (autograder specification, "tests" form)."""
    data = {
        "score": result.score if result.status != "error" else 0,
        "execution_time": round(result.execution_time, 2),
        "output": _summary(result),
        "tests": [
            {"name": check.title, "score": check.points, "max_score": check.max_points,
             "status": "passed" if check.passed else "failed", "output": _check_output(check, result),
             "visibility": "visible"}
            for check in result.checks
        ],
        "extra_data": {"status": result.status, "exercise": result.exercise, "submission": result.submission},
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def prairielearn(result: Result) -> str:
    """PrairieLearn's external grader results.json: score in 0..1, `gradable` false on grader error."""
    data = {
        "gradable": result.status != "error",
        "score": round(result.score / result.max_score, 4) if result.max_score else 0.0,
        "message": _summary(result),
        "output": result.output,
        "tests": [
            {"name": check.title, "description": check.name, "points": check.points,
             "max_points": check.max_points, "message": "" if check.passed else check.message,
             "output": _check_output(check, result)}
            for check in result.checks
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def junit(result: Result) -> str:
    """JUnit XML: one testsuite per submission, one testcase per check."""
    suite = ET.Element("testsuite", {
        "name": f"{result.exercise}.{result.submission}",
        "tests": str(len(result.checks) or 1),
        "failures": str(sum(not c.passed for c in result.checks) if result.status != "error" else 0),
        "errors": "1" if result.status == "error" else "0",
        "skipped": "0",
        "time": f"{result.execution_time:.3f}",
    })
    properties = ET.SubElement(suite, "properties")
    for name, value in (("status", result.status), ("verdict", result.verdict), ("score", result.score),
                        ("max_score", result.max_score)):
        ET.SubElement(properties, "property", {"name": name, "value": _xml_text(str(value))})
    if result.status == "error":
        case = ET.SubElement(suite, "testcase", {"classname": f"{result.exercise}.{result.submission}",
                                                 "name": "grading", "time": "0"})
        ET.SubElement(case, "error", {"message": result.verdict, "type": "GraderError"}).text = result.verdict
    else:
        for check in result.checks:
            case = ET.SubElement(suite, "testcase", {
                "classname": f"{result.exercise}.{result.submission}", "name": check.title,
                "time": f"{check.seconds or 0:.3f}"})
            if not check.passed:
                first = check.message.splitlines()[0] if check.message else "failed"
                ET.SubElement(case, "failure", {"message": _xml_text(first), "type": "CheckFailed"}).text = _xml_text(check.message)
    ET.SubElement(suite, "system-out").text = _xml_text(result.output)
    root = ET.Element("testsuites")
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _summary(result: Result) -> str:
    if result.status == "error":
        return _word("not a grade, again", result) + result.verdict
    return f"{result.exercise}: {result.score}/{result.max_score}: {result.verdict}"
