"""Running a submission once, in a fresh locked-down container, while the host records it.

The submission must not run a single instruction before the recording has begun, and its main
PID must be known for certain (it could exit before the first snapshot). So a tiny launcher
starts first, as the student: it blocks SIGUSR1, then installs a handler for it, then waits for
it with sigwaitinfo. The handler is never called; it is there to be *seen*: once the observer
sees SIGUSR1 in the launcher's SigCgt mask, the signal is certainly blocked and will be taken by
the wait (the blocked mask itself cannot be used: sigwaitinfo unblocks what it waits for while
it waits). The grader then releases it; the launcher changes to the working directory and
*execs* ``python3 solution.py ARGS`` — same PID, so the main process is known before it starts.
For an init exercise the launcher is the container's PID 1: a caught signal reaches even PID 1
from outside.
"""

import signal
import tarfile
import time
from dataclasses import dataclass
from io import BytesIO
from typing import Optional

import docker.errors
import requests.exceptions

from lab.errors import NotObserved, ProclabError
from lab.grading.spec import Exercise, Trial
from lab.grading.submission import Submission
from lab.grading.trace import Run
from lab.observe import Observer, Snapshot
from lab.runtime import ROOT, STUDENT, Runtime, Sandbox

WORKDIR = "/tmp/work"
LAUNCHER = (
    "# proclab launcher: waits for SIGUSR1, then becomes the submission\n"
    "import os, signal, sys\n"
    "signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})\n"
    "signal.signal(signal.SIGUSR1, lambda *_: None)\n"
    "signal.sigwaitinfo({signal.SIGUSR1})\n"
    "signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGUSR1})\n"
    "os.chdir(sys.argv[1])\n"
    "os.execvp('python3', ['python3', 'solution.py', *sys.argv[2:]])\n"
)
READY_TIMEOUT = 20  # seconds for the container, observer and launcher to be ready
FILE_CAP = 1 << 20  # bytes read back of a collected file


class SupervisorLost(Exception):
    """The observer or PID 1 died while the container lived on: the submission's doing, not the grader's."""


@dataclass
class Live:
    """What an exercise's `setup` and `drive` hooks may use while a run is in progress."""

    sandbox: Sandbox
    observer: Observer
    trial: Trial
    main: Optional[int] = None  # the submission's PID, once released
    released_at: float = 0.0  # time.monotonic() of the release

    def elapsed(self) -> float:
        return time.monotonic() - self.released_at


def workdir_archive(submission: Submission, trial: Trial) -> bytes:
    """A tar of the working directory: the submission's files and the trial's, owned by the student.

    Built here from bytes, so it holds regular files only, whatever the submission folder held.
    """
    buffer = BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        def add(name: str, data: bytes, kind=tarfile.REGTYPE, mode=0o644):
            info = tarfile.TarInfo(name)
            info.type, info.mode, info.uid, info.gid = kind, mode, int(STUDENT), int(STUDENT)
            info.size = len(data) if kind == tarfile.REGTYPE else 0
            info.mtime = int(time.time())
            tar.addfile(info, BytesIO(data) if kind == tarfile.REGTYPE else None)

        add("work", b"", tarfile.DIRTYPE, 0o755)
        directories = {"work"}
        files = {**submission.files, **{name: text.encode() for name, text in trial.files.items()}}
        for name, data in sorted(files.items()):
            parts = name.split("/")
            for depth in range(1, len(parts)):
                directory = "work/" + "/".join(parts[:depth])
                if directory not in directories:
                    add(directory, b"", tarfile.DIRTYPE, 0o755)
                    directories.add(directory)
            add("work/" + name, data)
    return buffer.getvalue()


def perform(runtime: Runtime, exercise: Exercise, submission: Submission, trial: Trial) -> Run:
    """Run the submission once under `trial` and return what was observed. Always removes the container."""
    sandbox = runtime.sandbox(
        f"grade:{exercise.name}",
        init=exercise.reaper and not exercise.as_pid1,
        limits=exercise.limits,
        command=["python3", "-c", LAUNCHER, WORKDIR, *trial.args] if exercise.as_pid1 else None,
        user=STUDENT if exercise.as_pid1 else ROOT,
    )
    try:
        return _perform(sandbox, exercise, submission, trial)
    finally:
        sandbox.remove()


def _is_launcher(process) -> bool:
    return process.cmdline[:2] == ("python3", "-c") and process.cmdline[2:3] == (LAUNCHER,) \
        and process.catches(signal.SIGUSR1)


def _perform(sandbox: Sandbox, exercise: Exercise, submission: Submission, trial: Trial) -> Run:
    sandbox.unpack(workdir_archive(submission, trial))
    observer = Observer(sandbox)
    recording = observer.record()
    live = Live(sandbox, observer, trial)
    setup = exercise.setup(live) if exercise.setup else None
    program = None
    if not exercise.as_pid1:
        program = sandbox.start(["python3", "-c", LAUNCHER, WORKDIR, *trial.args], env=trial.env or None)
    launcher = observer.wait_for(lambda s: next((p for p in s if _is_launcher(p)), None),
                                 READY_TIMEOUT, "the grader's launcher waiting to start the submission")
    live.main, live.released_at = launcher.pid, time.monotonic()
    if exercise.as_pid1:
        sandbox.container.kill("SIGUSR1")
    else:
        sandbox.run(["kill", "-USR1", str(launcher.pid)])
    try:
        if exercise.drive:
            exercise.drive(live)
        if exercise.as_pid1:
            exit_code = _wait_pid1(sandbox, exercise.time_limit - live.elapsed())
        else:
            exit_code = _wait_program(program, exercise.time_limit - live.elapsed())
        output_limit = program is not None and program.truncated
        exited_at = None if exit_code is None else live.elapsed()
        leftovers = Snapshot()
        if exit_code is not None and not exercise.as_pid1:
            leftovers = _linger(observer, exercise.linger)
        elif exit_code is None:
            leftovers = Snapshot(p for p in observer.snapshot() if str(p.uid) == STUDENT)
        files = {name: _read_file(sandbox, name) for name in exercise.collect} if not exercise.as_pid1 else {}
    except ProclabError:
        if _supervisor_lost(observer, _container_state(sandbox)):
            raise SupervisorLost("the observer stopped while the container ran") from None
        raise
    state = _container_state(sandbox)
    if _supervisor_lost(observer, state):
        raise SupervisorLost("the observer stopped while the container ran")
    observer.unwatch(recording)
    counters = {**observer.counters, "engine_oom_killed": bool(state.get("OOMKilled"))}

    if program is not None:
        program.output_closed(0 if exit_code is None else 2)
        output, truncated = program.output, program.truncated
    else:
        output, truncated = _container_output(sandbox)
    frames = [(t - live.released_at, snapshot) for t, snapshot in recording.frames]
    if exited_at is not None:
        # when the observer first saw it gone, not when the grader noticed: exec_inspect is polled
        exited_at = next((t for t, s in frames if t >= 0 and s.pid(live.main) is None), exited_at)
    return Run(
        trial=trial, main=live.main, frames=frames,
        ended=(recording.last_seen or live.released_at) - live.released_at,
        exit_code=exit_code, exited_at=exited_at, timed_out=exit_code is None and not output_limit,
        time_limit=exercise.time_limit, output=output, output_truncated=truncated,
        leftovers=leftovers, files=files, setup=setup, counters=counters,
        limits=exercise.limits,
    )


def _container_state(sandbox: Sandbox) -> dict:
    """The engine's view of the container now: its status, and its own OOMKilled flag (a second
    witness of the memory limit beside the cgroup's OOM-kill count). Empty once it is gone."""
    try:
        sandbox.container.reload()
    except docker.errors.NotFound:
        return {}
    return sandbox.container.attrs.get("State", {})


def _supervisor_lost(observer: Observer, state: dict) -> bool:
    """The observer has stopped, yet its container still runs: someone inside killed it.

    (When the container itself has gone — removed, or its PID 1 ended — that is not this.)
    """
    return observer.ended and state.get("Status") == "running"


def _wait_program(program, timeout: float) -> Optional[int]:
    """The exit status, or None at `timeout` — or as soon as the output passes its cap: a
    program that floods its output is stopped then, not fed until the time limit."""
    deadline = time.monotonic() + timeout
    while True:
        code = program.wait(min(0.25, max(deadline - time.monotonic(), 0)))
        if code is not None or program.truncated or time.monotonic() >= deadline:
            return code


def _linger(observer: Observer, seconds: float) -> Snapshot:
    """Wait up to `seconds` for the submission's processes to end; return what is left of them.

    Zombies are left too (under a PID 1 that never reaps they stay): checks judge those.
    """
    def theirs(snapshot):
        return Snapshot(p for p in snapshot if str(p.uid) == STUDENT)
    try:
        return theirs(observer.wait_for(lambda s: s if all(p.state == "Z" for p in theirs(s)) else None,
                                        seconds, "the submission's processes to end"))
    except NotObserved:
        return theirs(observer.snapshot())
    except ProclabError:
        return Snapshot()  # the container ended: nothing can outlive it


def _wait_pid1(sandbox: Sandbox, timeout: float) -> Optional[int]:
    """The exit status of a container whose PID 1 is the submission, or None at `timeout`."""
    try:
        return sandbox.container.wait(timeout=max(timeout, 0.1))["StatusCode"]
    except (requests.exceptions.ReadTimeout, requests.exceptions.ConnectionError):
        return None  # only an HTTP timeout: the caller removes the container


def _container_output(sandbox: Sandbox) -> tuple:
    try:
        raw = sandbox.container.logs(stdout=True, stderr=True, tail=2000)
    except docker.errors.APIError:
        return "", False
    return raw[-FILE_CAP:].decode("utf-8", "replace"), len(raw) > FILE_CAP


def _read_file(sandbox: Sandbox, name: str) -> Optional[str]:
    """A file of the working directory as text (None if missing), read as the student."""
    code, text = sandbox.run(["head", "-c", str(FILE_CAP), f"{WORKDIR}/{name}"], timeout=10)
    return text if code == 0 else None
