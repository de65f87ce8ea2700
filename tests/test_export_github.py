"""`proclab export github`: the template repository, and its grading run as the workflow runs it.

The repository is exported with the real command line, from a folder of the instructor's own.
GitHub itself cannot be reached from here, so the workflow is read (every step the job needs,
in order) and its grading step is run as the runner runs it: `sh .github/proclab/grade.sh` at the
repository's top, with `proclab` on PATH (as `pip install` of the wheel puts it there) and
GITHUB_STEP_SUMMARY naming a file; the Docker backend grades in this machine's engine.

PyYAML is not among proclab's dependencies (nor its tests'), so the workflow is read by
`read_workflow` below: a strict reader of the plain block YAML the template is written in.
"""

import base64
import hashlib
import json
import math
import os
import re
import subprocess
import sys
import uuid
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from lab import __version__
from lab.backends import docker as docker_backend
from lab.export import github
from lab.grading import catalog
from lab.grading.results import CheckResult, Result, grader_error
from tests.support import labelled
from tests.wrong_solutions import of

EXERCISE = "zombie"
REPO = Path(__file__).resolve().parent.parent
REFERENCE = REPO / "exercises" / EXERCISE / "solution.py"
NO_WAIT = next(wrong for wrong in of(EXERCISE) if wrong.name == "no_wait")


def export(folder: Path) -> Path:
    """`proclab export github` run as an instructor runs it, from a folder of their own."""
    folder.mkdir()
    done = subprocess.run([sys.executable, "-m", "lab", "export", "github", EXERCISE, "--out", "template"],
                          cwd=folder, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return folder / "template"


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return export(tmp_path_factory.mktemp("github") / "instructor")


# -- the template, as exported ---------------------------------------------------------------------

def test_the_student_gets_the_statement_and_solution_py_and_no_one_the_reference(template):
    found = {path.relative_to(template).as_posix(): path.read_bytes() for path in template.rglob("*") if path.is_file()}
    exercise = REPO / "exercises" / EXERCISE
    wheel = f".github/proclab/proclab-{__version__}-py3-none-any.whl"
    assert sorted(found) == sorted(["README.md", "starter.py", "solution.py", ".github/workflows/proclab.yml",
                                    ".github/proclab/grade.sh", wheel]
                                   + [f".github/proclab/exercises/{EXERCISE}/{name}"
                                      for name in ("README.md", "checks.py", "starter.py")])
    assert found["solution.py"] == found["starter.py"] == (exercise / "starter.py").read_bytes()
    assert found[f".github/proclab/exercises/{EXERCISE}/checks.py"] == (exercise / "checks.py").read_bytes()
    reference = REFERENCE.read_bytes()
    assert not [path for path, data in found.items() if reference in data], "the reference is in the template"
    # (the wheel is compressed: test_the_wheel_installs_and_carries_no_reference_solution opens it)
    assert os.access(template / ".github/proclab/grade.sh", os.X_OK)


def test_an_export_again_replaces_the_wheel(tmp_path):
    """The workflow installs every proclab-*.whl it finds: an earlier export's must not stay."""
    template = export(tmp_path / "instructor")
    (template / ".github/proclab/proclab-0.0.1-py3-none-any.whl").write_bytes(b"an older export's")
    subprocess.run([sys.executable, "-m", "lab", "export", "github", EXERCISE, "--out", "template"],
                   cwd=template.parent, check=True, capture_output=True, timeout=120)
    assert [p.name for p in (template / ".github/proclab").glob("proclab-*.whl")] == [
        f"proclab-{__version__}-py3-none-any.whl"]


def read_workflow(text: str):
    """The workflow as YAML reads it, for the subset it is written in: block mappings, sequences
    of mappings indented under their key, plain scalars made of words and paths, JSON strings
    (YAML's double-quoted scalars) and whole-line comments. Anything else fails the test: flow
    collections, anchors, tags, block scalars, tabs, a key twice, a line where it cannot belong.
    (YAML 1.1 readers take the key `on` for a boolean; GitHub reads it as the key "on", as here.)"""
    assert "\t" not in text, "a tab in the workflow"
    rows = [(len(line) - len(line.lstrip(" ")), line.strip()) for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]
    value, end = _node(rows, 0, 0)
    assert end == len(rows), f"a line out of place: {rows[end]}"
    return value


def _node(rows: list, i: int, indent: int):
    """The mapping or sequence whose entries begin at rows[i], each at `indent`; and the next row."""
    if rows[i][1].startswith("- "):
        items = []
        while i < len(rows) and rows[i][0] == indent and rows[i][1].startswith("- "):
            # an item is a mapping: its first key on the dash's line, the others under it
            rows = rows[:i] + [(indent + 2, rows[i][1][2:])] + rows[i + 1:]
            item, i = _node(rows, i, indent + 2)
            items.append(item)
        return items, i
    mapping = {}
    while i < len(rows) and rows[i][0] == indent and not rows[i][1].startswith("- "):
        key, colon, rest = rows[i][1].partition(":")
        assert colon and re.fullmatch(r"[a-z][a-z0-9_-]*", key) and rest[:1] in ("", " "), rows[i]
        assert key not in mapping, f"the key {key} twice"
        i += 1
        if rest.strip():
            mapping[key] = _scalar(rest.strip())
        elif i < len(rows) and rows[i][0] > indent:
            mapping[key], i = _node(rows, i, rows[i][0])
        else:
            mapping[key] = None
    return mapping, i


def _scalar(text: str):
    if text.startswith('"'):
        return json.loads(text)
    assert re.fullmatch(r"[\w./(][\w .,'/@*()-]*", text) and not text.endswith(" "), f"not a plain scalar: {text}"
    return int(text) if text.isdigit() else text


def test_the_workflow_installs_the_carried_wheel_and_runs_the_grading_script(template):
    workflow = read_workflow((template / ".github/workflows/proclab.yml").read_text())
    assert workflow["on"] == {"push": None, "workflow_dispatch": None}
    job, = workflow["jobs"].values()
    assert job["runs-on"] == "ubuntu-latest" and job["name"] == f"proclab grade {EXERCISE}"
    worst = catalog.load(EXERCISE).worst_case_seconds
    assert math.ceil(worst / 60) < job["timeout-minutes"] < 360, "room for the worst case, less than GitHub's default"
    steps = job["steps"]
    assert [step.get("uses", "").split("@")[0] for step in steps[:2]] == ["actions/checkout", "actions/setup-python"]
    runs = [step["run"] for step in steps if "run" in step]
    assert runs == ["pip install .github/proclab/proclab-*.whl", "proclab build", "sh .github/proclab/grade.sh"]
    assert len(list(template.glob(".github/proclab/proclab-*.whl"))) == 1  # what the install's glob names
    keep = steps[-1]
    assert keep["uses"].startswith("actions/upload-artifact@") and keep["if"] == "always()"
    assert keep["with"]["path"] == "proclab-results/"
    script = (template / ".github/proclab/grade.sh").read_text()
    assert f"proclab grade {EXERCISE} solution.py --exercises .github/proclab/exercises --backend docker" in script


def test_the_wheel_installs_and_carries_no_reference_solution(template, tmp_path):
    wheel, = template.glob(".github/proclab/proclab-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    assert not [name for name in members if name.endswith("/solution.py")]
    assert f"lab/_exercises/{EXERCISE}/checks.py" in members and "lab/export/github.py" in members
    record = members[f"proclab-{__version__}.dist-info/RECORD"].decode()
    listed = {path: rest for path, _, rest in (line.partition(",") for line in record.splitlines())}
    assert listed.keys() == members.keys(), "RECORD lists other files than the wheel has"
    for name, data in members.items():
        if not name.endswith("/RECORD"):
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            assert listed[name] == f"sha256={digest},{len(data)}", name
    # What pip would install, read from the wheel alone: no index, no change to this venv.
    plan = subprocess.run([sys.executable, "-m", "pip", "install", "--dry-run", "--no-deps", "--no-index",
                           "--ignore-installed", "--quiet", "--report", "-", str(wheel)],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert plan.returncode == 0, plan.stderr
    installs = [item["metadata"] for item in json.loads(plan.stdout)["install"]]
    assert [(meta["name"], meta["version"]) for meta in installs] == [("proclab", __version__)]
    assert any(need.startswith("docker") for need in installs[0]["requires_dist"])


def test_the_summary_keeps_a_programs_words_from_becoming_markdown():
    quoted = "observed: printed <b>A | B</b>\n```\n| not | a | row |"
    result = Result(EXERCISE, "solution", "failed", "1 of 2 checks failed", 1, 3, [
        CheckResult("first", "prints `a|b`", 0, 2, False, quoted),
        CheckResult("second", "exits with status 0", 1, 1, True),
    ], output="```` fences of four\n")
    text = github.summary(result)
    table = text.split("\n\n")[1].splitlines()  # after the headline, before the evidence
    assert table[2:] == ["| ❌ failed | prints `a\\|b` | 0/2 | observed: printed &lt;b&gt;A \\| B&lt;/b&gt; |",
                        "| ✅ passed | exits with status 0 | 1/1 |  |"]
    assert "````text\nobserved: printed <b>A | B</b>\n```\n| not | a | row |\n````" in text
    assert "`````text\n```` fences of four\n`````" in text
    error = github.summary(grader_error(catalog.load(EXERCISE), "solution", "the engine went away"))
    assert error.startswith(f"### {EXERCISE}: the grader failed\n") and "This is not a grade" in error


def test_the_summary_is_in_the_language_of_the_feedback(tmp_path):
    result = Result(EXERCISE, "solution", "failed", "2 项检查中有 1 项未通过", 1, 3, [
        CheckResult("first", "子进程成为僵尸进程", 0, 2, False, "应当：……"),
        CheckResult("second", "程序以退出状态 0 退出", 1, 1, True),
    ], output="hello\n", lang="zh")
    text = github.summary(result)
    assert text.startswith(f"### {EXERCISE}：1/3 分，2 项检查中有 1 项未通过\n"), text
    assert "| 结果 | 检查项 | 分数 | 原因 |" in text and "| ❌ 未通过 | 子进程成为僵尸进程 | 0/2 | 应当：…… |" in text
    assert "<summary>程序的输出（末尾部分）</summary>" in text
    error = github.summary(grader_error(catalog.load(EXERCISE), "solution", "the engine went away", lang="zh"))
    assert error.startswith(f"### {EXERCISE}：评分程序出错\n") and "这不是成绩" in error
    assert github.report(tmp_path / "none.json", "2", "zh").startswith("### proclab 没能评阅 solution.py\n")


# -- its grading, as the workflow runs it ------------------------------------------------------------

def grade(template: Path, tmp_path: Path, **env):
    """.github/proclab/grade.sh, as the workflow's step runs it; the exit status and the job summary."""
    step_summary = tmp_path / "step_summary.md"
    step_summary.write_text("")  # the runner makes the file, empty, for each step
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("PROCLAB_EXERCISES", "PROCLAB_BACKEND")}
    environment.update(PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
                       GITHUB_STEP_SUMMARY=str(step_summary), **env)
    done = subprocess.run(["sh", ".github/proclab/grade.sh"], cwd=template, env=environment,
                          capture_output=True, text=True, timeout=300)
    return done, step_summary.read_text()


def titles(names) -> set:
    """The titles of the exercise's checks named: what the summary and the JUnit file show."""
    return {check.title.en for check in catalog.load(EXERCISE).checks if check.name in names}


FAILING = {  # the checks each solution.py fails
    "reference": (),
    "starter": ("child_becomes_a_zombie", "only_one_child", "stays_a_zombie_for_2_s", "parent_reaps_it",
                "reports_the_reaped_child"),  # solution.py as exported: what the first commit's run shows
    "no_wait": NO_WAIT.fails,
}


@pytest.mark.container
@pytest.mark.parametrize("solution", FAILING)
def test_grade_sh_reports_to_the_job_and_exits_with_the_grades_status(client, tmp_path, solution):
    failing, status = FAILING[solution], 1 if FAILING[solution] else 0
    template = export(tmp_path / "instructor")
    if solution == "reference":
        (template / "solution.py").write_bytes(REFERENCE.read_bytes())
    elif solution == "no_wait":
        NO_WAIT.write(template, "solution.py")
    run_id = f"export-github-{uuid.uuid4().hex[:10]}"
    done, step_summary = grade(template, tmp_path, PROCLAB_RUN_ID=run_id)
    log = done.stdout + done.stderr
    assert done.returncode == status, log
    assert not labelled(client, f"{docker_backend.RUN_LABEL}={run_id}"), "a grader container was left behind"

    exercise = catalog.load(EXERCISE)
    lost = sum(check.points for check in exercise.checks if check.name in failing)
    score = f"{exercise.max_score - lost}/{exercise.max_score}"
    assert f"Score: {score}" in done.stdout, log
    headline = step_summary.splitlines()[0]
    assert headline.startswith(f"### {EXERCISE}: {score} points, ") and headline.endswith("full marks") == (not failing)
    marks = {title: mark for mark, title in re.findall(r"^\| (✅ passed|❌ failed) \| (.+?) \| \d+/\d+ \|",
                                                        step_summary, re.M)}
    assert marks.keys() == {check.title.en for check in exercise.checks}, step_summary  # no title of zombie's has a |
    assert {title for title, mark in marks.items() if mark == "❌ failed"} == titles(failing), step_summary
    assert json.loads((template / "proclab-results/result.json").read_text())["score"] == exercise.max_score - lost

    suite = ET.parse(template / "proclab-results" / github.JUNIT).getroot().find("testsuite")
    failed = {case.get("name") for case in suite.iter("testcase") if case.find("failure") is not None}
    assert failed == titles(failing) and suite.get("failures") == str(len(failing)) and suite.get("errors") == "0"


def test_grade_sh_says_when_the_grader_could_not_grade(tmp_path):
    """No engine: exit status 2, a summary that says this is not a grade, and no JUnit file."""
    template = export(tmp_path / "instructor")
    done, step_summary = grade(template, tmp_path, DOCKER_HOST="unix:///nonexistent")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "cannot reach the Docker engine" in done.stderr
    assert step_summary.startswith("### proclab could not grade solution.py\n") and "status 2" in step_summary
    assert not (template / "proclab-results" / github.JUNIT).exists()
