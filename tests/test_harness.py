"""The harness: locked-down containers, the observer, and cleanup on every exit path."""

import contextlib
import os
import pty
import signal
import subprocess
import sys
import time
import uuid

import pytest

from lab.backends import docker as docker_backend
from lab.errors import NotObserved
from lab.observe import Observer
from lab.sandbox import Limits
from tests.support import SWEEPS, as_a_foreground_command, labelled, poll

pytestmark = pytest.mark.container
PROCLAB = [sys.executable, "-m", "lab"]


def test_containers_are_labelled_and_locked_down(sandbox):
    sandbox.container.reload()
    config = sandbox.container.attrs["HostConfig"]
    assert docker_backend.LABEL in sandbox.container.labels and docker_backend.RUN_LABEL in sandbox.container.labels
    assert config["PidsLimit"] == Limits.pids
    assert config["Memory"] == config["MemorySwap"] == 256 * 1024 * 1024  # no swap
    assert config["NanoCpus"] == 10**9
    assert config["NetworkMode"] == "none"
    assert config["CapDrop"] == ["ALL"] and config["CapAdd"] == ["SYS_PTRACE"]
    assert config["SecurityOpt"] == ["no-new-privileges"]
    assert config["ReadonlyRootfs"] and "/tmp" in config["Tmpfs"]
    assert config["Init"] is True


def test_student_code_is_unprivileged_offline_and_cannot_write_the_root(sandbox):
    assert sandbox.run(["id", "-u"]) == (0, "1000\n")
    assert sandbox.run(["grep", "CapEff", "/proc/self/status"]) == (0, "CapEff:\t0000000000000000\n")
    code, output = sandbox.run(["python3", "-c", "import socket; socket.create_connection(('10.0.0.1', 80), 2)"])
    assert code != 0 and "unreachable" in output.lower()
    code, output = sandbox.run(["touch", "/etc/owned"])
    assert code != 0 and "read-only" in output.lower()
    assert sandbox.run(["touch", "/tmp/scratch"])[0] == 0


@SWEEPS
def test_a_container_dies_at_its_wall_clock_deadline(engine, client):
    """Its main process, `sleep 2`, ends by itself (status 0) at the deadline. Seen in the engine's
    events, which outlast the container: once expired, a batch's start-up sweep may remove it."""
    since = int(time.time())
    box = engine.sandbox("test", limits=Limits(wall_seconds=2))

    def died():
        events = client.events(since=since, until=int(time.time()), decode=True,
                               filters={"container": box.id, "event": "die"})
        return next(iter(events), None)

    event = poll(died, 30, "the container to end by itself after its 2 s deadline")
    assert event["Actor"]["Attributes"]["exitCode"] == "0" and event["time"] >= since + 2, event


def test_without_init_pid_1_is_the_deadline_itself(engine):
    observer = Observer(engine.sandbox("test", reaper=False))
    assert observer.snapshot().pid(1).cmdline == ("sleep", str(Limits.wall_seconds))


def test_observer_hides_itself_and_sees_exec_parents_as_0(sandbox):
    observer = Observer(sandbox)
    sandbox.start(["sleep", "600"])
    sleeper = observer.wait_for(lambda s: next((p for p in s if p.name == "sleep" and p.ppid == 0), None),
                                10, "the exec'd sleep with PPID 0")
    assert sleeper.uid == 1000
    assert not any("observer" in " ".join(p.cmdline) for p in observer.snapshot())


def test_a_zombie_named_with_spaces_and_parenthesis_is_seen_as_a_zombie(sandbox):
    observer = Observer(sandbox)
    tricky = "import os,time\nif os.fork()==0:\n open('/proc/self/comm','w').write('a) Z (b')\n os._exit(3)\ntime.sleep(600)"  # allowed
    sandbox.start(["python3", "-c", tricky])
    zombie = observer.wait_for(lambda s: next(iter(s.zombies()), None), 10, "a zombie")
    assert (zombie.name, zombie.state, zombie.exit_code) == ("a) Z (b", "Z", 3)


def test_wait_for_says_what_it_expected_and_shows_the_table(sandbox):
    observer = Observer(sandbox)
    observer.snapshot()
    with pytest.raises(NotObserved) as failure:
        observer.wait_for(lambda s: s.zombies(), 1, "a zombie that never comes")
    message = str(failure.value)
    assert "expected a zombie that never comes within 1 s" in message
    assert "PID" in message and "sleep 600" in message


def test_a_watch_catches_a_zombie_that_lives_300_ms(sandbox):
    observer = Observer(sandbox)
    watch = observer.watch(lambda s: s.zombies())
    brief = "import os,time\nif os.fork()==0: os._exit(0)\ntime.sleep(0.3)\nos.wait()"  # allowed: the zombie's lifetime
    assert sandbox.run(["python3", "-c", brief]) == (0, "")
    observer.snapshot()  # every snapshot taken while the program ran has been seen
    assert watch.match is not None, f"no zombie among {watch.seen} snapshots"


def test_a_runtime_removes_its_containers_when_an_exception_leaves_it(client):
    with pytest.raises(RuntimeError):
        with docker_backend.DockerEngine(client) as rt:
            rt.sandbox("test")
            run_label = f"{docker_backend.RUN_LABEL}={rt.run_id}"
            assert labelled(client, run_label)
            raise RuntimeError("a bug in a lab")
    assert not labelled(client, run_label)


@contextlib.contextmanager
def lab_at_its_first_pause():
    """`proclab lab zombie` in a child process, paused after step 1; and its containers' label.

    Its stdin is a terminal (a pty), so after step 1 it waits at "Enter for the next step": a
    signal sent then certainly finds it in the middle of its run, its container up.
    """
    run_id = uuid.uuid4().hex[:12]
    terminal, stdin = pty.openpty()
    lab = subprocess.Popen(PROCLAB + ["lab", "zombie"], stdin=stdin, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, env={**os.environ, "PROCLAB_RUN_ID": run_id},
                           preexec_fn=as_a_foreground_command)
    os.close(stdin)
    try:
        seen = b""
        while b"Enter for the next step" not in seen:
            chunk = os.read(lab.stdout.fileno(), 4096)  # the prompt ends in no newline
            assert chunk, f"the lab ended before its first pause:\n{seen.decode()}{lab.stderr.read()}"
            seen += chunk
        yield lab, f"{docker_backend.RUN_LABEL}={run_id}"
    finally:
        lab.kill()
        lab.wait(30)
        os.close(terminal)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_and_sigterm_remove_the_lab_container(client, signum):
    with lab_at_its_first_pause() as (lab, ours):
        assert labelled(client, ours)
        lab.send_signal(signum)
        assert lab.wait(30) == 130
        assert b"interrupted" in lab.stderr.read()
    assert not labelled(client, ours)


def test_after_a_sigkilled_lab_proclab_clean_leaves_no_container(client):
    """`proclab clean --run ID`, not the bare `proclab clean`: that removes every labelled
    container, those of the tests running beside this one too (tests/test_cli.py checks which
    label each form removes)."""
    with lab_at_its_first_pause() as (lab, ours):
        lab.kill()
        lab.wait(30)
    left = len(labelled(client, ours))
    assert left, "SIGKILL left nothing behind: this test proves nothing"
    clean = subprocess.run(PROCLAB + ["clean", "--run", ours.split("=", 1)[1]], capture_output=True, text=True,
                           timeout=60)
    assert clean.returncode == 0 and f"removed {left} container(s) labelled {ours}" in clean.stdout, clean
    assert not labelled(client, ours)
