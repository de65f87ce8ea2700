"""Fixtures for tests that run real containers.

There is no skip for a missing Docker engine: the container tests are the point of this suite,
and in CI a missing engine must fail, never pass quietly. Each test that uses a container records
the property `container` in the JUnit report, which `.ci/run` counts.
"""

import pytest

from lab import image, runtime


@pytest.fixture(scope="session")
def engine():
    """The Docker client, with the lab image present (built once if missing)."""
    client = runtime.connect()  # raises ProclabError with the one-line reason
    image.ensure(client)
    return client


@pytest.fixture
def lab_runtime(engine, record_property):
    """A Runtime whose containers are all removed when the test ends, pass or fail."""
    record_property("container", "true")
    with runtime.Runtime(engine) as rt:
        yield rt


@pytest.fixture
def sandbox(lab_runtime):
    """One fresh locked-down lab container (tini as PID 1)."""
    return lab_runtime.sandbox("test")
