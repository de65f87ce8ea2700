"""`proclab export github`: the template repository of a GitHub Classroom assignment, graded by
GitHub Actions on every push.

GitHub Classroom gives each student a copy of a template repository, so everything the grading
needs travels in it: the workflow `.github/workflows/proclab.yml`, the script it runs
(`.github/proclab/grade.sh`), proclab's wheel, and the exercise's grader files in
`.github/proclab/exercises/NAME/`. A GitHub-hosted runner (ubuntu-latest) has a Docker engine
and the network, so it grades as a laptop does: it installs the wheel, builds the image
(`proclab build` pulls debian:bookworm-slim) and grades `solution.py` in containers.

What the student sees at the top of the repository is what `export student` gives (the
statement, the starter, support files), and `solution.py`, which starts as a copy of the
starter: the statement asks for `solution.py` and names `starter.py`, so both stay true; and the
template's own first commit is graded at once, so the student meets the feedback (red, the
starter's partial score, each failed check with its evidence) before writing a line.

One grading gives three views: the step's log (proclab's text, as `proclab grade` prints it),
the job summary (Markdown: the score, a table of the checks, the evidence of each failure) and
a JUnit file. The last two are made here, from proclab's JSON result, by this module run as
`python3 -m lab.export.github` on the runner (the wheel carries it).

The student owns the copy: they can read the checks (their hints are meant to be read) and
could edit the workflow or the script. So the check's colour is feedback; the grade of record
is the instructor's own batch over the collected repositories. What a student never gets is a
reference solution: neither the exercise's files nor the wheel (`bundle.wheel`) carry one.

GitHub Classroom's autograding tab is not fed. As far as the source of its reporter
(classroom-resources/autograding-grading-reporter, src/notify-classroom.js) shows, the tab reads
"Points X/Y" from the output of one check run: the reporter writes it there through the Checks
API (a token with `checks: write`), into the run of the job named `run-autograding-tests`, the
job of the classroom.yml that Classroom writes when tests are set in its UI. Feeding it would
be cheap in lines (that job name, the permission, a step giving the reporter our score as its
base64 JSON, the reporter's step), but it rests on a name that is the reporter's convention, not
a documented interface (its source has changed it four times), on Classroom reading what the
reporter writes, and none of it can be tried without GitHub. So we do not guess; the README
says how to collect grades instead.
"""

import html
import json
import math
import re
import shlex
import sys
from pathlib import Path, PurePosixPath

from lab import __version__
from lab.export import bundle
from lab.grading import results
from lab.grading.spec import Exercise
from lab.text import T

SOLUTION = "solution.py"  # the file the student writes and the workflow grades
STARTER = "starter.py"
HOME = PurePosixPath(".github/proclab")  # in the repository: the script, the wheel, the exercise
WORKFLOW_PATH = ".github/workflows/proclab.yml"
JUNIT = "junit.xml"  # written beside proclab's JSON result
# Minutes a job needs besides grading: checkout, Python, installing the wheel and its
# dependencies, pulling debian:bookworm-slim and building the image (a minute or two), with room.
SETUP_MINUTES = 10

# The workflow. GitHub's default job limit is 360 minutes; this job gets the exercise's worst
# case (Exercise.worst_case_seconds: every trial to its time limit) plus SETUP_MINUTES, so a hung
# run costs the course minutes, not hours. `if: always()` keeps the results when grading is red.
WORKFLOW = """\
# Grades solution.py for the exercise @EXERCISE@ on every push: proclab @VERSION@ runs it in
# locked-down Docker containers on the runner and checks what it really does, from outside.
# Written by `proclab export github @EXERCISE@`; the grading itself is .github/proclab/grade.sh.
name: proclab
on:
  push:
  workflow_dispatch:
permissions:
  contents: read
jobs:
  grade:
    name: @JOB_NAME@
    runs-on: ubuntu-latest
    timeout-minutes: @MINUTES@
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: Install proclab from the wheel in this repository
        run: pip install .github/proclab/proclab-*.whl
      - name: Build the image the grader's containers run
        run: proclab build
      - name: Grade solution.py
        run: sh .github/proclab/grade.sh
      - name: Keep the results (proclab's JSON and the JUnit file)
        if: always()
        uses: actions/upload-artifact@v4
        with:
          name: proclab-results
          path: proclab-results/
          if-no-files-found: ignore
"""

# The script the workflow runs, also by hand (proclab installed, Docker running). It exits with
# proclab's status, so the check is red unless full marks; the report is made whatever the grade.
GRADE_SH = """\
#!/bin/sh
# Grades solution.py for the exercise @EXERCISE@ with proclab, in its locked-down Docker
# containers: as .github/workflows/proclab.yml runs it on every push, or by hand from anywhere
# in the repository (with proclab installed and Docker running): sh .github/proclab/grade.sh
#
# The log gets each check with its evidence; proclab-results/ the JSON result and the JUnit
# file; the job summary ($GITHUB_STEP_SUMMARY, when the runner gives one) a Markdown table.
# Exit status, proclab's: 0 full marks (a green check), 1 not full marks, 2 the grader failed.
set -u
cd "$(dirname "$0")/../.."
rm -rf proclab-results && mkdir proclab-results
status=0
proclab grade @EXERCISE@ solution.py --exercises .github/proclab/exercises --backend docker \\
    --format json --out proclab-results/result.json --lang @LANG@ || status=$?
python3 -m lab.export.github proclab-results/result.json "$status" @LANG@ >> "${GITHUB_STEP_SUMMARY:-/dev/null}"
exit "$status"
"""

# The summary's own words, in the language of the feedback. "not graded": there is no result to
# show, proclab stopped before grading (no engine, no solution.py, the image could not be built);
# its one line saying why is in the step's log.
WORDS = {
    "not graded": T("### proclab could not grade solution.py\n\nThis is not a grade: proclab exited with "
                    "status {status} before it could grade. The log of the step \"Grade solution.py\" says why.\n",
                    "### proclab 没能评阅 solution.py\n\n这不是成绩：proclab 在评分之前就以状态 {status} 退出了。"
                    "原因见步骤 \"Grade solution.py\" 的日志。\n"),
    "grader failed": T("### {exercise}: the grader failed\n\nThis is not a grade: {verdict}\n\n"
                       "Run the job again (Re-run jobs, on this page) to be graded.\n",
                       "### {exercise}：评分程序出错\n\n这不是成绩：{verdict}\n\n"
                       "请重新运行这个作业（本页上的 Re-run jobs）来评分。\n"),
    "headline": T("### {exercise}: {score}/{max_score} points, {verdict}", "### {exercise}：{score}/{max_score} 分，{verdict}"),
    "full marks": T("full marks", "满分"),
    "columns": T("| result | check | points | why |", "| 结果 | 检查项 | 分数 | 原因 |"),
    "passed": T("✅ passed", "✅ 通过"),
    "failed": T("❌ failed", "❌ 未通过"),
    "output": T("the program's output (the end of it)", "程序的输出（末尾部分）"),
}


def export(exercise: Exercise, out: Path, lang: str = "en") -> Path:
    """Write the template repository of `exercise`'s assignment at `out`, its feedback in `lang`."""
    files = bundle.exercise_files(exercise, for_students=True)
    if STARTER in files:
        files[SOLUTION] = files[STARTER]
    grader = bundle.exercise_files(exercise, for_students=False)
    files.update({f"{HOME}/exercises/{exercise.name}/{path}": data for path, data in grader.items()})
    files[WORKFLOW_PATH] = _fill(WORKFLOW, {
        "EXERCISE": exercise.name, "VERSION": __version__,
        "JOB_NAME": json.dumps(f"proclab grade {exercise.name}"),  # a JSON string is a YAML scalar
        "MINUTES": str(SETUP_MINUTES + math.ceil(exercise.worst_case_seconds / 60))}).encode()
    files[f"{HOME}/grade.sh"] = _fill(GRADE_SH, {"EXERCISE": shlex.quote(exercise.name), "LANG": lang}).encode()
    out.mkdir(parents=True, exist_ok=True)
    bundle.write_files(out, files)
    (out / HOME / "grade.sh").chmod(0o755)
    bundle.wheel(out / HOME)
    return out


def _fill(template: str, values: dict) -> str:
    """The template with each @NAME@ replaced: the shell's $ and braces stay as they are."""
    return re.sub(r"@([A-Z_]+)@", lambda match: values[match.group(1)], template)


def report(result_file: Path, status: str, lang: str = "en") -> str:
    """What grade.sh runs after grading (`python3 -m lab.export.github RESULT.json STATUS LANG`):
    the JUnit file, written beside proclab's JSON result, and the Markdown summary, returned; with
    no result (proclab stopped before grading, with `status`), a summary in `lang` that says so."""
    if not result_file.is_file():
        return WORDS["not graded"](lang).format(status=status)
    result = results.Result.from_json(result_file.read_text(encoding="utf-8"))
    results.write(result_file.with_name(JUNIT), results.render(result, "junit"))
    return summary(result)


def summary(result: results.Result) -> str:
    """The job summary: the score first, a row per check (its result, points and the first line
    of why it failed), then each failure's whole evidence and the program's output, folded.
    A message may quote the program's output: in a row it is escaped, below it is code."""
    def word(key: str) -> str:
        return WORDS[key](result.lang)

    if result.status == "error":
        return word("grader failed").format(exercise=result.exercise, verdict=_escape(result.verdict))
    verdict = word("full marks") if result.status == "passed" else _escape(result.verdict)
    lines = [word("headline").format(exercise=result.exercise, score=result.score, max_score=result.max_score,
                                     verdict=verdict),
             "", word("columns"), "| --- | --- | ---: | --- |"]
    for check in result.checks:
        why = _escape(check.message.splitlines()[0]) if check.message and not check.passed else ""
        title = check.title.replace("|", "\\|")  # the exercise's own Markdown: `code` stays code
        mark = word("passed") if check.passed else word("failed")
        lines.append(f"| {mark} | {title} | {check.points}/{check.max_points} | {why} |")
    # a message of one line is whole in its row; the evidence (tables, hints) folds below
    folded = [(check.title, check.message) for check in result.checks
              if not check.passed and "\n" in check.message]
    if result.output and result.status != "passed":
        folded.append((word("output"), result.output))
    for title, text in folded:
        lines += ["", f"<details><summary>{html.escape(title, quote=False)}</summary>", "", _fenced(text), "",
                  "</details>"]
    return "\n".join(lines) + "\n"


def _escape(text: str) -> str:
    """Text as it reads, in a Markdown table cell: no HTML, no column breaks."""
    return html.escape(text, quote=False).replace("|", "\\|")


def _fenced(text: str) -> str:
    """A code block that the text cannot close: its fence is longer than any run of backticks in it."""
    fence = "`" * max([3] + [len(run) + 1 for run in re.findall("`+", text)])
    return f"{fence}text\n{text.rstrip()}\n{fence}"


if __name__ == "__main__":
    sys.stdout.buffer.write(report(Path(sys.argv[1]), *sys.argv[2:4]).encode())  # UTF-8, whatever the locale
