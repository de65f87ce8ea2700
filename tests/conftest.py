"""Fixtures for tests that run real containers, and the order the tests start in.

There is no skip for a missing Docker engine: the container tests are the point of this suite,
and in CI a missing engine must fail, never pass quietly. Each test that uses a container records
the property `container` in the JUnit report, which `.ci/run` counts.

`make test` runs the tests in parallel (pytest-xdist, see the Makefile): each test's containers
carry a run label of its own (``proclab.run=ID``), and a test removes or counts only those.
"""

import fcntl
import fnmatch
import os
import signal

import psutil
import pytest

from lab.backends import docker as docker_backend

# The longest tests (nodeid patterns), longest first, as measured on a 2-core machine: they start
# first, so that the parallel run does not end waiting for a long test that started last. The
# other container tests follow, then the rest; each keeps its collection order.
LONGEST_FIRST = (
    "tests/test_soak.py::*",
    "tests/test_export_prairielearn.py::test_the_grader_image_*",  # builds an image, then grades
    "tests/test_in_place.py::test_gradescope_*",
    "tests/test_batch_faults.py::*",
    "tests/test_grading.py::test_typical_mistake_*",
    "tests/test_labs.py::test_lab_fails_when_a_program_makes_a_typical_mistake*",
    "tests/test_grading.py::test_reference_*",
    "tests/test_grading.py::test_starter_*",
    "tests/test_labs.py::test_lab_observes_every_claim*",
    "tests/test_in_place.py::*",
)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _interrupt_workers(signum, frame):
    """SIGTERM to the controller of a parallel run goes on to its workers, where the tests run:
    each unwinds as on Ctrl-C (its fixtures remove its containers) and says so, and the run ends
    interrupted. Interrupted itself, the controller would tear the workers down mid-test."""
    workers = psutil.Process().children()
    if not workers:
        raise KeyboardInterrupt  # none started yet
    for worker in workers:
        try:
            worker.send_signal(signal.SIGTERM)
        except psutil.NoSuchProcess:
            pass


def pytest_configure(config):
    """SIGTERM (a CI timeout, `kill`) unwinds like Ctrl-C, so fixtures remove their containers."""
    parallel = getattr(config.option, "numprocesses", None) and not hasattr(config, "workerinput")
    signal.signal(signal.SIGTERM, _interrupt_workers if parallel else _interrupt)
    # Every engine a test makes has a run id of its own. One inherited from the environment would
    # be every test's, and each test's cleanup would remove the containers of the tests beside it.
    os.environ.pop("PROCLAB_RUN_ID", None)
    # The tests read English feedback unless they ask for another language: a developer's Chinese
    # locale (the Makefile passes LANG on) must not change what proclab, run by a test, prints.
    os.environ["LAB_LANG"] = "en"


def pytest_collection_modifyitems(items):
    def rank(item):
        starts = [n for n, pattern in enumerate(LONGEST_FIRST) if fnmatch.fnmatchcase(item.nodeid, pattern)]
        return starts[0] if starts else len(LONGEST_FIRST) + (0 if item.get_closest_marker("container") else 1)

    items.sort(key=rank)  # stable: collection order within a rank


@pytest.fixture(scope="session")
def client(tmp_path_factory):
    """The Docker client, with the lab image present (built once if missing: by one of the
    parallel workers, while the others wait for it)."""
    with open(tmp_path_factory.getbasetemp().parent / "image.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return docker_backend.connect().client  # raises ProclabError with the one-line reason


@pytest.fixture(autouse=True)
def _report_container_tests(request, record_property):
    """Mark the tests that run containers in the JUnit report, so CI can count them."""
    if request.node.get_closest_marker("container"):
        record_property("container", "true")


@pytest.fixture
def engine(client):
    """A Docker engine whose containers are all removed when the test ends, pass or fail."""
    with docker_backend.DockerEngine(client) as engine:
        yield engine


@pytest.fixture
def sandbox(engine):
    """One fresh locked-down lab container (tini as PID 1)."""
    return engine.sandbox("test")
