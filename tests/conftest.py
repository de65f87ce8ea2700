"""Fixtures for tests that run real containers.

There is no skip for a missing Docker engine: the container tests are the point of this suite,
and in CI a missing engine must fail, never pass quietly. Each test that uses a container records
the property `container` in the JUnit report, which `.ci/run` counts.
"""

import signal

import pytest

from lab import image, runtime


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def pytest_configure(config):
    """SIGTERM (a CI timeout, `kill`) unwinds like Ctrl-C, so fixtures remove their containers."""
    signal.signal(signal.SIGTERM, _interrupt)


@pytest.fixture(scope="session")
def engine():
    """The Docker client, with the lab image present (built once if missing)."""
    client = runtime.connect()  # raises ProclabError with the one-line reason
    image.ensure(client)
    return client


@pytest.fixture(autouse=True)
def _report_container_tests(request, record_property):
    """Mark the tests that run containers in the JUnit report, so CI can count them."""
    if request.node.get_closest_marker("container"):
        record_property("container", "true")


@pytest.fixture
def lab_runtime(engine):
    """A Runtime whose containers are all removed when the test ends, pass or fail."""
    with runtime.Runtime(engine) as rt:
        yield rt


@pytest.fixture
def sandbox(lab_runtime):
    """One fresh locked-down lab container (tini as PID 1)."""
    return lab_runtime.sandbox("test")
