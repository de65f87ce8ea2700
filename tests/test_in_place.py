"""Grading in place (`--backend local`) where course platforms grade: parity with Docker, for real.

Each test starts a container shaped like a course platform's autograder, from proclab:latest,
with the package and the exercises — without their reference solutions, as an instructor puts
them on a platform — mounted read-only at /src, and a writable folder (the test's tmp_path) at
/work, and runs in it what the platform would run:

* "gradescope": root, Docker's default capabilities, no engine socket, the network on (the
  host's: CI's engine may have no bridge to give a container), 768 MiB, one CPU, 512 PIDs;
* "prairielearn": the same with the network off.

Inside, ``PYTHONPATH=/src python3 -m lab grade EXERCISE ... --backend local`` grades one
submission (``--format json`` on stdout, or Gradescope's results.json), or — to keep this fast —
a folder of them in a batch (``--out /work/out --jobs N``; out/NAME.json and out/grades.csv are
read from here). The expectations are tests/test_grading.py's and tests/test_hostile.py's on
Docker:

* every exercise, in one batch (one at a time) on "gradescope": the reference gets full marks,
  the starter less, each typical mistake and each correct program in another style whose turn it
  is to be graded in place (tests/wrong_solutions.py, tests/correct_solutions.py) loses exactly
  its checks, or none;
  each reference alone on "prairielearn", and one on "gradescope" as its run_autograder would;
* every hostile program (tests/hostile/, and two only grading in place invites), graded as the
  zombie exercise with a 5 s time limit, one at a time as a platform does: its verdict's words,
  no credit beyond "exits with status 0"; network.py on both platforms;
* an attack graded beside an honest student (--jobs 2) costs the honest student nothing;
* after each grading nothing of the students' uids (64000 and up) is left in the container —
  no process, zombie or file — and the grader exited normally, its results all written.

Where grading in place legitimately differs from Docker, the difference is asserted here, not
skipped (`IN_PLACE_ONLY`, and reap_ignore's "at least 10").

The 5 s time limit for hostile programs: the command line has no option for it, so the
container gets an exercises folder of its own (PROCLAB_EXERCISES) whose zombie/checks.py loads
/src/exercises/zombie/checks.py and replaces its time limit, as test_hostile.py does with
``dataclasses.replace(catalog.load("zombie"), time_limit=5)``.

The containers carry the label `proclab` (and a deadline label, so that a batch's start-up sweep
spares them): `proclab clean` run elsewhere in the suite removes them too, and a test then says so.
"""

import csv
import dataclasses
import json
import math
import re
import shutil
from pathlib import Path

import pytest

from lab.grading import catalog
from tests.correct_solutions import on
from tests.platforms import Platform, Platforms
from tests.wrong_solutions import WrongSolution, on as mistakes_on

REPO = Path(__file__).resolve().parents[1]
HOSTILE = Path(__file__).parent / "hostile"
ATTACKS = sorted(HOSTILE.glob("*.py"))
EXERCISES = catalog.names()
HOSTILE_EXERCISE = '''"""The zombie exercise with a 5 s time limit, for hostile programs (tests/test_in_place.py)."""
import dataclasses
import importlib.util

_spec = importlib.util.spec_from_file_location("proclab_exercise_zombie_reference", "/src/exercises/zombie/checks.py")
_module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_module)
exercise = dataclasses.replace(_module.exercise, time_limit=5)
'''

# Submissions whose grade in place differs from Docker's, by design: name -> (source, checks it
# fails in place, why). reap_ignore counts the children from the PIDs handed out between the
# program's start and a probe's. In a container of its own nothing else takes PIDs meanwhile; in
# place the PID space is the platform's (the grader's own processes, anything else it runs), so
# exercises/reap_ignore/checks.py takes the count as a lower bound and accepts more than 10. On
# Docker this one fails starts_10_children.
IN_PLACE_ONLY = {
    "reap_ignore": {
        "twelve_children": (
            WrongSolution("reap_ignore", "twelve_children", "starts 12 children instead of 10",
                          ("starts_10_children",), (("range(10)", "range(12)"),)).source(),
            set(),
            "in place the PID count is a lower bound: 12 children pass (on Docker: starts_10_children fails)"),
    },
}


@pytest.fixture
def platform(client, tmp_path):
    """start(kind) -> a Platform with the package and the exercises at /src; every container
    started is removed when the test ends, pass or fail."""
    # What an instructor puts on a platform: the package, and the exercises without their
    # reference solutions (in place the student's uid reads whatever is world-readable there).
    exercises = tmp_path / "exercises"
    if not exercises.exists():
        shutil.copytree(REPO / "exercises", exercises, ignore=shutil.ignore_patterns("solution.py", "__pycache__"))
    platforms = Platforms(client, tmp_path, "in-place")
    try:
        yield lambda kind: platforms.start(kind, {REPO / "lab": ("/src/lab", "ro"), exercises: ("/src/exercises", "ro")})
    finally:
        platforms.remove()


# -- what is expected ------------------------------------------------------------------------

def budget(exercise, submissions: int, jobs: int = 2) -> float:
    """Seconds a batch may take: each run to its time limit, twice over (the machine is shared)."""
    per_submission = len(exercise.trials) * (exercise.time_limit + exercise.linger + 5)
    return 60 + 2 * per_submission * math.ceil(submissions / jobs)


def failed_checks(result: dict) -> set:
    return {c["name"] for c in result["checks"] if not c["passed"]}


def describe(name: str, result: dict, wanted: str) -> str:
    """One mismatch: what was expected, and the result's verdict and failed checks."""
    lines = [f"{name}: expected {wanted}; got {result['status']} {result['score']}/{result['max_score']}, "
             f"verdict {result['verdict']!r}, failed {sorted(failed_checks(result))}"]
    for check in result["checks"]:
        if not check["passed"]:
            message = "\n      ".join(check["message"].splitlines()[:12])
            lines.append(f"    {check['name']}: {message}")
    return "\n".join(lines)


def parsed(stdout: str, stderr: str) -> dict:
    """The JSON result a single grading printed; a crash of the grader says so, with its stderr."""
    try:
        return json.loads(stdout)
    except ValueError:
        raise AssertionError(f"the grader printed no JSON result:\n{stdout[-2000:]}\n{stderr[-3000:]}") from None


def grades_csv_problems(out: Path, exercise, results: dict) -> list:
    """Where grades.csv does not say what the JSON results say."""
    try:
        with open(out / "grades.csv", newline="") as f:
            rows = list(csv.DictReader(f))
    except OSError as error:
        return [f"grades.csv: {error}"]
    columns = ["student", *(c.name for c in exercise.checks), "score", "max_score", "status", "verdict"]
    problems = [] if rows and list(rows[0]) == columns else [f"grades.csv: columns {list(rows[0]) if rows else []}"]
    for row in rows:
        result = results.get(row["student"])
        if result is None:
            problems.append(f"grades.csv: a row for {row['student']}, which has no JSON result")
            continue
        seen = (int(row["score"]), int(row["max_score"]), row["status"], row["verdict"],
                {c["name"]: int(row[c["name"]]) for c in result["checks"] if row.get(c["name"])})
        wanted = (result["score"], result["max_score"], result["status"], result["verdict"],
                  {c["name"]: c["points"] for c in result["checks"]})
        if seen != wanted:
            problems.append(f"grades.csv says {seen} of {row['student']}, its JSON {wanted}")
    students = sorted(r["student"] for r in rows)
    if students != sorted(results):
        problems.append(f"grades.csv has rows for {students}, JSON results for {sorted(results)}")
    return problems


def left_behind(place: "Platform") -> list:
    """What a student's uid left in the platform's container after the grading: processes
    (zombies too), files anywhere (a Docker sandbox keeps nothing), sandbox folders."""
    problems = []
    processes = place.students_left()
    if processes:
        problems.append("processes of a student's uid outlived the grading:\n" + "\n".join(processes[:20]))
    files = place.files_left()
    if files:
        problems.append("files of a student's uid outlived the grading:\n" + "\n".join(files[:20]))
    return problems


def batch(place: "Platform", exercise_name: str, sources: dict, env=None, exercise=None, jobs: int = 2) -> tuple:
    """Grade `sources` (name -> program) as a folder, `jobs` at a time, as an instructor would.

    Returns (results by name, problems): whatever was not as it must be whatever the grades —
    the grader's exit status, a traceback, a missing result, a grader error, grades.csv, processes
    left running."""
    exercise = exercise or catalog.load(exercise_name)
    subs = place.folder / "subs"
    subs.mkdir()
    for name, source in sources.items():
        (subs / f"{name}.py").write_bytes(source if isinstance(source, bytes) else source.encode())
    code, stdout, stderr = place.grade(exercise_name, "/work/subs", budget(exercise, len(sources), jobs), env,
                                       "--out", "/work/out", "--jobs", str(jobs), "--format", "json")
    problems = []
    if code != 0 or "Traceback" in stderr:
        problems.append(f"the batch exited with status {code}:\n{stdout}\n{stderr[-3000:]}")
    out = place.folder / "out"
    results = {}
    for name in sources:
        try:
            results[name] = json.loads((out / f"{name}.json").read_text())
        except (OSError, ValueError) as error:
            problems.append(f"{name}: no result written ({error})")
            continue
        if results[name]["status"] == "error":
            problems.append(f"{name}: a grader error, not a grade: {results[name]['verdict']}")
    problems += grades_csv_problems(out, exercise, results)
    problems += left_behind(place)
    return results, problems


def single(place: "Platform", exercise_name: str, source: str, timeout: float, env=None, *options) -> tuple:
    """Grade one submission as a platform's entrypoint would: (exit status, stdout, stderr)."""
    (place.folder / "student").mkdir()
    (place.folder / "student" / "solution.py").write_text(source)
    return place.grade(exercise_name, "/work/student/solution.py", timeout, env, *options)


def report(what: str, problems: list) -> str:
    return f"{what}: {len(problems)} problems:\n" + "\n".join(problems)


# -- the exercises ---------------------------------------------------------------------------

@pytest.mark.container
@pytest.mark.parametrize("name", EXERCISES)
def test_gradescope_grades_every_submission_as_docker_does(name, platform):
    """The reference, the starter, and the typical mistakes and correct programs in other styles
    whose turn is in place, in one batch on a Gradescope-like container: the grades they get on
    Docker (tests/test_grading.py), apart from `IN_PLACE_ONLY`."""
    exercise = catalog.load(name)
    folder = catalog.folder(name)
    wrongs = mistakes_on("local", name)
    styles = {f"correct_{c.path.stem}": c.path.read_text() for c in on("local", name)}
    sources = {"reference": (folder / "solution.py").read_text(), "starter": (folder / "starter.py").read_text(),
               **{w.name: w.source() for w in wrongs}, **styles}
    extra = IN_PLACE_ONLY.get(name, {})
    sources.update({n: source for n, (source, _, _) in extra.items()})
    # One at a time, as a platform grades: a container of one CPU is all the sandboxes share in place.
    results, problems = batch(platform("gradescope"), name, sources, jobs=1)

    wanted = {"reference": (set(), "full marks"), "starter": (None, "below full marks"),
              **{student: (set(), "full marks") for student in styles}}
    wanted.update({w.name: (set(w.fails), f"to fail exactly {sorted(w.fails)}") for w in wrongs})
    wanted.update({n: (fails, f"to fail exactly {sorted(fails)} ({why})") for n, (_, fails, why) in extra.items()})
    for student, (fails, words) in wanted.items():
        result = results.get(student)
        if result is None or result["status"] == "error":
            continue  # said already
        if fails is None:  # the starter: anything below full marks
            right = result["status"] == "failed" and 0 <= result["score"] < exercise.max_score
        else:
            score = exercise.max_score - sum(c.points for c in exercise.checks if c.name in fails)
            right = (failed_checks(result) == fails and result["score"] == score
                     and result["status"] == ("failed" if fails else "passed"))
        if not right:
            problems.append(describe(student, result, words))
    if name == "reap_ignore":  # the documented difference, as a student reads it
        assert "five_children" in sources, "reap_ignore's five_children must take its turn in place"
    if name == "reap_ignore" and "five_children" in results:
        check = next(c for c in results["five_children"]["checks"] if c["name"] == "starts_10_children")
        if "expected: at least 10 processes created by the program" not in check["message"]:
            problems.append(describe("five_children", results["five_children"],
                                     "starts_10_children to say it expected 'at least 10' (a lower bound in place)"))
    assert not problems, report(f"{name}, {len(sources)} submissions graded in place", problems)


@pytest.mark.container
@pytest.mark.parametrize("name", EXERCISES)
def test_prairielearn_grades_the_reference_with_full_marks(name, platform):
    """One submission, as PrairieLearn's entrypoint would grade it: network off, JSON on stdout,
    status 0 on full marks."""
    place = platform("prairielearn")
    exercise = catalog.load(name)
    code, stdout, stderr = single(place, name, (catalog.folder(name) / "solution.py").read_text(),
                                  budget(exercise, 1, 1), None, "--format", "json")
    result = parsed(stdout, stderr)
    problems = [] if result["status"] == "passed" and result["score"] == exercise.max_score else [
        describe("reference", result, "full marks")]
    if code != 0 or "Traceback" in stderr:
        problems.append(f"the grader exited with status {code}:\n{stderr[-3000:]}")
    problems += left_behind(place)
    assert not problems, report(f"{name}'s reference graded in place", problems)


@pytest.mark.container
def test_gradescope_writes_results_json_for_one_submission(platform):
    """Gradescope's run_autograder: one submission, --format gradescope --out results.json."""
    place = platform("gradescope")
    (place.folder / "results").mkdir()
    exercise = catalog.load("zombie")
    code, stdout, stderr = single(place, "zombie", (catalog.folder("zombie") / "solution.py").read_text(),
                                  budget(exercise, 1, 1), None, "--format", "gradescope",
                                  "--out", "/work/results/results.json")
    results = json.loads((place.folder / "results" / "results.json").read_text())
    assert results["score"] == exercise.max_score, results
    assert code == 0 and "Traceback" not in stderr, f"status {code}\n{stdout}\n{stderr[-3000:]}"
    left = left_behind(place)
    assert not left, left


# -- hostile programs ------------------------------------------------------------------------

# Attacks that only grading in place invites (candidates for tests/hostile/, where Docker would
# face them too).

# The grader's own files share the student's file system in place. On Docker nothing of the
# checkout is in the grading container (the image holds lab/, not exercises/): this crashes.
READS_THE_REFERENCE = """# attack: finds the grader's checkout (the `proclab` shim on its PATH names it, so does the
# supervisor's command line in /proc, or a look around) and runs the reference solution as its own
# verdict: crashed
import glob
import os
import re

places = []
for folder in os.environ.get("PATH", "").split(":"):
    try:
        places += re.findall(r"PYTHONPATH=(\\S+)", open(os.path.join(folder, "proclab")).read())
    except OSError:
        pass
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        words = open(f"/proc/{pid}/cmdline", "rb").read().decode(errors="replace").split("\\0")
    except OSError:
        continue
    places += [w[: -len("/lab/backends/supervisor.py")] for w in words if w.endswith("/lab/backends/supervisor.py")]
places += [p[: -len("/exercises")] for p in glob.glob("/*/exercises") + glob.glob("/*/*/exercises")]
places += ["/opt/proclab"]
for place in places:
    path = os.path.join(place, "exercises", "zombie", "solution.py")
    if os.path.exists(path):
        print(f"running {path}", flush=True)
        exec(compile(open(path).read(), path, "exec"))
        break
else:
    open("/opt/proclab/exercises/zombie/solution.py")  # crashes: there is none to read
"""

# A grading container's writable places die with it; in place they are the platform's, and the
# next student's (`left_behind` looks for what this leaves).
LEAVES_FILES = """# attack: leaves files where the next student would find them: /var/tmp, /dev/shm, a folder in /tmp
# verdict: checks failed
import os

for path in ("/var/tmp/left-behind", "/dev/shm/left-behind", "/tmp/left/behind"):
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write("for the next student\\n")
        print(f"wrote {path}")
    except OSError as error:
        print(f"{path}: {error.strerror}")
"""


def header(source: bytes, key: str) -> str:
    return re.search(rf"^# {key}: (.*)$", source.decode(errors="replace"), re.MULTILINE).group(1).strip()


# name -> the program: every hostile program of tests/hostile/, and those only grading in place invites
ALL_ATTACKS = {**{p.stem: p.read_bytes() for p in ATTACKS},
               "reads_the_reference": READS_THE_REFERENCE.encode(), "leaves_files": LEAVES_FILES.encode()}


def hostile_exercises(place: Platform) -> dict:
    """An exercises folder holding only zombie, with a 5 s time limit: the environment to use it."""
    (place.folder / "exercises" / "zombie").mkdir(parents=True)
    (place.folder / "exercises" / "zombie" / "checks.py").write_text(HOSTILE_EXERCISE)
    return {"PROCLAB_EXERCISES": "/work/exercises"}


def judge_attack(name: str, result: dict) -> list:
    """What is wrong with an attack's result: its verdict's words, and no credit."""
    words = header(ALL_ATTACKS[name], "verdict")
    earned = {c["name"] for c in result["checks"] if c["passed"]}
    if result["status"] != "failed" or words not in result["verdict"] or not earned <= {"exits_with_status_0"}:
        return [describe(name, result, f"a verdict with {words!r} and no credit beyond exits_with_status_0")
                + f"\n    output: {result['output'][-600:]!r}"]
    return []


def network_refused(output: str) -> bool:
    return "Network is unreachable" in output and "connected" not in output


HOSTILE_GROUPS = 4  # containers the attacks are spread over (xdist can run them side by side)


@pytest.mark.container
@pytest.mark.parametrize("group", range(HOSTILE_GROUPS))
def test_gradescope_gives_every_attack_its_verdict_and_no_credit(group, platform):
    """One at a time (--jobs 1), as a platform grades: each attack alone in the container."""
    attacks = sorted(ALL_ATTACKS)[group::HOSTILE_GROUPS]
    place = platform("gradescope")
    env = hostile_exercises(place)
    exercise = dataclasses.replace(catalog.load("zombie"), time_limit=5)  # what HOSTILE_EXERCISE makes
    results, problems = batch(place, "zombie", {name: ALL_ATTACKS[name] for name in attacks}, env, exercise, jobs=1)
    for name in attacks:
        if name in results and results[name]["status"] != "error":
            problems += judge_attack(name, results[name])
    if "network" in results and not network_refused(results["network"]["output"]):
        problems.append(f"network: not refused, with the host's network on: {results['network']['output']!r}")
    assert not problems, report(f"{len(attacks)} attacks graded in place ({', '.join(attacks)})", problems)


@pytest.mark.container
# Not a fork bomb: in place the sandboxes of one batch share the platform's CPU (README: "Two
# backends"), so 128 spinning processes slow the student beside them; a platform grades one
# submission per container.
@pytest.mark.parametrize("attack", ["memory_many"])
def test_an_attack_beside_an_honest_student_costs_them_nothing(attack, platform):
    """A batch grades two at a time: on Docker each in a container of its own (its own CPU, memory
    and PIDs); in place both share the platform's. The honest student must not pay for the other."""
    place = platform("gradescope")
    env = hostile_exercises(place)
    exercise = dataclasses.replace(catalog.load("zombie"), time_limit=5)
    sources = {"attack": ALL_ATTACKS[attack], "honest": (catalog.folder("zombie") / "solution.py").read_bytes()}
    results, problems = batch(place, "zombie", sources, env, exercise, jobs=2)
    if "attack" in results and results["attack"]["status"] != "error":
        problems += judge_attack(attack, results["attack"])
    honest = results.get("honest")
    if honest is not None and (honest["status"] != "passed" or honest["score"] != exercise.max_score):
        problems.append(describe("honest", honest, f"full marks, graded beside {attack}"))
    assert not problems, report(f"{attack} and an honest student graded side by side in place", problems)


@pytest.mark.container
def test_prairielearn_refuses_the_network(platform):
    place = platform("prairielearn")
    env = hostile_exercises(place)
    code, stdout, stderr = single(place, "zombie", (HOSTILE / "network.py").read_text(), 60, env, "--format", "json")
    result = parsed(stdout, stderr)
    problems = judge_attack("network", result)
    if not network_refused(result["output"]):
        problems.append(f"network: not refused: {result['output']!r}")
    if code != 1 or "Traceback" in stderr:
        problems.append(f"the grader exited with status {code} (1: graded, below full marks):\n{stderr[-3000:]}")
    problems += left_behind(place)
    assert not problems, report("network.py graded in place", problems)
