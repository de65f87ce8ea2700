"""What several test modules need besides fixtures: polling an observed state with a deadline,
the engine's labelled containers, and SIGINT as a terminal gives it."""

import signal
import time

import pytest

from lab.backends import docker as docker_backend

# A Docker batch starts with a sweep of every run's containers past their deadline (the
# `proclab.expires` label), and a test may make a container that expires on purpose. Those tests
# run one after another, on one worker (`--dist loadgroup`), never beside each other.
SWEEPS = pytest.mark.xdist_group("sweeps")


def poll(condition, timeout: float, expected: str, process=None):
    """Call `condition` until it returns something true, and return that.

    Fails at the deadline, saying what was `expected`. With `process` (a Popen), it returns None
    as soon as that process ends instead: whether that is a failure is the caller's to say.
    """
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        if process is not None and process.poll() is not None:
            return None
        assert time.monotonic() < deadline, f"expected {expected} within {timeout:g} s"
        time.sleep(0.02)  # the polling period of an observed condition, not a synchronisation
    return result


def labelled(client, label: str):
    """The containers (running or not) that carry `label`: one run's ``proclab.run=…``.

    Never the bare ``proclab``: the tests run in parallel, and that label is on every test's
    containers."""
    assert label != docker_backend.LABEL, "count one run's containers (proclab.run=ID), not every test's"
    return client.containers.list(all=True, filters={"label": label}, sparse=True)


def as_a_foreground_command():
    """SIGINT as a terminal's foreground command has it. When the tests themselves run in the
    background (`make test &`, a CI runner), the shell set SIGINT to ignored, children inherit
    that, and Python then installs no KeyboardInterrupt handler at all."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
