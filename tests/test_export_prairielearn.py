"""`proclab export prairielearn`: the question folder, and its grader run as PrairieLearn runs it.

The folder is exported with the real command line; its grader image is built from the folder's
grader/ recipe (once for the module: the offline base, no network, as on a machine without a
registry), and each submission is graded the way PrairieLearn's grader host runs a job
(apps/grader-host/src/index.ts, `runJob`; the local development grader,
apps/prairielearn/src/lib/externalGraderLocal.ts, does the same): a job folder mounted at /grade
with the question's tests/ in /grade/tests and the student's files in /grade/student
(apps/prairielearn/src/lib/externalGraderCommon.ts, `buildDirectory`), the network disabled, no
engine, the image's own user (the host sets none), 2 GiB without swap, 0.9 CPU, 1024 PIDs, no
core dumps, a TTY, info.json's entrypoint split as a shell line, killed after info.json's
timeout; the results read only after exit status 0.
"""

import contextlib
import json
import shlex
import shutil
import subprocess
import sys
import time
import uuid
import zipfile
from pathlib import Path

import docker
import pytest

from lab.backends import docker as docker_backend
from lab.backends import docker_image
from lab.export import prairielearn
from lab.grading import catalog
from tests.support import labelled, poll
from tests.wrong_solutions import of

# One worker runs this module (`make test`: --dist loadgroup), so the grader image is built once.

EXERCISE = "zombie"
RUN_ID = f"export-prairielearn-{uuid.uuid4().hex[:10]}"
# info.json's fields (apps/prairielearn/src/schemas/infoQuestion.ts: both objects are strict)
QUESTION_FIELDS = {"uuid", "title", "topic", "tags", "type", "singleVariant", "gradingMethod", "externalGradingOptions"}
GRADING_FIELDS = {"comment", "enabled", "image", "entrypoint", "serverFilesCourse", "timeout", "enableNetworking",
                  "environment"}
# In the image: how many exercises came with the wheel, and which reference solutions are left
INSTALLED_EXERCISES = ("from lab import resources; exercises = resources.exercises(); "
                       "print(len(list(exercises.glob('*/checks.py'))), sorted(map(str, exercises.rglob('solution.py'))))")
EXITS_1 = next(wrong for wrong in of(EXERCISE) if wrong.name == "exits_1")


def export(folder: Path) -> Path:
    """`proclab export prairielearn` run as an instructor runs it, from a folder of their own."""
    done = subprocess.run([sys.executable, "-m", "lab", "export", "prairielearn", EXERCISE, "--out", str(folder)],
                          cwd=folder.parent, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return folder


@pytest.fixture
def question(tmp_path_factory) -> Path:
    return export(tmp_path_factory.mktemp("prairielearn") / "question")


@contextlib.contextmanager
def grader_image(client, question: Path):
    """The grader image, built from the exported grader/ folder on the base the lab image was
    built from (a public Debian on a laptop, the offline one here); removed whatever happens."""
    tag = f"proclab-test/prairielearn-grader:{RUN_ID}"
    base = docker_image.choose_base(client)
    try:
        client.images.build(path=str(question / "grader"), tag=tag, buildargs={"BASE": base},
                            network_mode=docker_image.build_network(base), labels={docker_backend.LABEL: "1"}, rm=True, forcerm=True)
        yield tag
    finally:
        try:
            client.images.remove(tag, force=True)
        except docker.errors.ImageNotFound:
            pass


def run_job(client, image: str, entrypoint: list, timeout: float, job=None) -> tuple:
    """One container as the grader host makes it, with `job` at /grade: (exit status, its output).
    Removed on every path."""
    container = client.containers.create(
        image, entrypoint=entrypoint, volumes={str(job): {"bind": "/grade", "mode": "rw"}} if job else {},
        network_disabled=True, tty=True, mem_limit="2g", memswap_limit="2g", cpu_period=100000, cpu_quota=90000, pids_limit=1024,
        ipc_mode="private", ulimits=[docker.types.Ulimit(name="core", soft=0, hard=0)],
        labels={docker_backend.LABEL: "1", docker_backend.RUN_LABEL: RUN_ID,
                "proclab.purpose": "test:export-prairielearn",
                # a deadline of its own, or another test's batch start-up sweep takes it for expired
                "proclab.expires": str(int(time.time() + 2 * timeout))})
    try:
        container.start()

        def exited():
            container.reload()
            return container.status == "exited"

        poll(exited, timeout, f"the grader to finish within info.json's timeout ({timeout:g} s)")
        return container.attrs["State"]["ExitCode"], container.logs().decode(errors="replace")
    finally:
        container.remove(force=True, v=True)


def grade(client, image: str, question: Path, job: Path, source: str) -> tuple:
    """Grade `source` as a student's solution.py (None: no file at all): (results.json, the
    grader's output)."""
    shutil.copytree(question / "tests", job / "tests")
    for folder in ("student", "data", "serverFilesCourse"):
        (job / folder).mkdir()
    if source is not None:
        (job / "student" / "solution.py").write_text(source)
    options = json.loads((question / "info.json").read_text())["externalGradingOptions"]
    code, output = run_job(client, image, shlex.split(options["entrypoint"]), options["timeout"], job)
    assert code == 0, f"the grader exited with status {code}: PrairieLearn would discard its results\n{output}"
    results = json.loads((job / "results" / "results.json").read_text())
    assert not labelled(client, f"{docker_backend.RUN_LABEL}={RUN_ID}"), "a grader container was left behind"
    return results, output


def test_the_question_folder(tmp_path):
    """info.json as PrairieLearn's schema has it, a timeout above the worst case, the statement
    and the starter in question.html's editor, the checks in tests/, no reference anywhere."""
    folder = export(tmp_path / "question")
    exercise = catalog.load(EXERCISE)
    info = json.loads((folder / "info.json").read_text())
    options = info["externalGradingOptions"]
    assert set(info) <= QUESTION_FIELDS and set(options) <= GRADING_FIELDS, info
    assert (info["type"], info["gradingMethod"], info["singleVariant"]) == ("v3", "External", True), info
    assert info["uuid"] == prairielearn.info(exercise)["uuid"] and uuid.UUID(info["uuid"]).version == 5
    assert info["title"] == exercise.title.en and info["topic"]
    assert options["image"] == prairielearn.IMAGE and options.get("enabled", True) is True
    assert shlex.split(options["entrypoint"]) == [prairielearn.ENTRYPOINT, EXERCISE]
    assert exercise.worst_case_seconds < options["timeout"] <= prairielearn.MAX_TIMEOUT, options
    assert isinstance(options["timeout"], int)
    html = (folder / "question.html").read_text()
    readme = (catalog.folder(EXERCISE) / "README.md").read_text().strip()
    assert f"<markdown>\n{readme}\n</markdown>" in html
    assert '<pl-file-editor file-name="solution.py"' in html and 'source-file-name="starter.py"' in html
    assert "<pl-external-grader-results>" in html
    assert (folder / "starter.py").read_bytes() == (catalog.folder(EXERCISE) / "starter.py").read_bytes()
    checks = folder / "tests" / "exercises" / EXERCISE / "checks.py"
    assert checks.read_bytes() == (catalog.folder(EXERCISE) / "checks.py").read_bytes()
    assert (folder / "grader" / "Dockerfile").is_file() and len(list(folder.glob("grader/proclab-*.whl"))) == 1
    assert not [path for path in folder.rglob("*") if path.name == "solution.py"]
    with zipfile.ZipFile(next(folder.glob("grader/proclab-*.whl"))) as wheel:
        assert not [name for name in wheel.namelist() if name.endswith("/solution.py")]


def test_every_exercise_fits_prairielearns_timeout():
    for name in catalog.names():
        exercise = catalog.load(name)
        assert exercise.worst_case_seconds < prairielearn.timeout(exercise) <= prairielearn.MAX_TIMEOUT, name


@pytest.mark.container
def test_the_grader_image_grades_as_prairielearn_runs_it(client, question, tmp_path):
    """One image, built once, then jobs as the grader host runs them. (One test, not one per job:
    pytest-xdist's groups do not keep a module's tests on one worker here, and each worker would
    build the image again.)"""
    with grader_image(client, question) as image:
        # The student's program runs on the grader's file system: no reference solution in it,
        # the exercises that came with the wheel all there.
        code, output = run_job(client, image, ["python3", "-c", INSTALLED_EXERCISES], 30)
        assert (code, output.split()) == (0, [str(len(catalog.names())), "[]"]), output

        exercise = catalog.load(EXERCISE)
        results, output = grade(client, image, question, tmp_path / "reference",
                                (catalog.folder(EXERCISE) / "solution.py").read_text())
        assert results["gradable"] is True and results["score"] == 1.0, output
        assert all(test["points"] == test["max_points"] for test in results["tests"]), results

        # exits_1 (tests/wrong_solutions.py) loses the points of `the program exits with status 0` only
        results, output = grade(client, image, question, tmp_path / "exits_1", EXITS_1.source())
        lost = sum(check.points for check in exercise.checks if check.name in EXITS_1.fails)
        assert results["gradable"] is True, output
        assert results["score"] == round((exercise.max_score - lost) / exercise.max_score, 4), results
        assert sorted(test["description"] for test in results["tests"] if test["points"] < test["max_points"]) \
            == sorted(EXITS_1.fails), results

        # what the editor holds at first, submitted unchanged: graded, and not full marks
        results, output = grade(client, image, question, tmp_path / "starter", (question / "starter.py").read_text())
        assert results["gradable"] is True and results["score"] < 1.0, output

        # no .py file in /grade/student: results.json all the same, with exit status 0, so
        # PrairieLearn shows the student why instead of a failed grading job
        results, output = grade(client, image, question, tmp_path / "empty", None)
        assert results["score"] == 0 and results["message"], results
