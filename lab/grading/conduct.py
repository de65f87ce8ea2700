"""Running a submission once, in a fresh sandbox, while the host records it.

The submission must not run a single instruction before the recording has begun, and its main
PID must be known for certain (it could exit before the first snapshot). So a tiny launcher
starts first, as the student: it blocks SIGUSR1, then installs a handler for it, then waits for
it with sigwaitinfo. The handler is never called; it is there to be *seen*: once the observer
sees SIGUSR1 in the launcher's SigCgt mask, the signal is certainly blocked and will be taken by
the wait (the blocked mask itself cannot be used: sigwaitinfo unblocks what it waits for while
it waits). The grader then releases it, and the launcher *execs* ``python3 solution.py ARGS`` in
its working directory — same PID, so the main process is known before it starts.

The launcher first lowers its priority to the least (nice 19), for the submission and all it
starts: 128 processes spinning (a fork bomb that ignores failed forks) would otherwise starve
the observer — and in place the supervisor — beside them on the sandbox's CPU, and a grading
would end in a grader error instead of its verdict. Alone with the grader's few, mostly sleeping
processes, as in its own sandbox, a program loses nothing by it.

Two launches share that recording core (`_record`): `Started`, where the sandbox runs first and
the launcher is started in it, and `AsInit`, where the launcher is the sandbox's init (PID 1 of
a container, the subreaper in place) for an init exercise: a caught signal reaches even PID 1
from outside.
"""

import signal
import tarfile
import time
from dataclasses import dataclass
from io import BytesIO
from typing import Optional

from lab.errors import NotObserved, ProclabError
from lab.grading.spec import Exercise, Trial
from lab.grading.submission import Submission
from lab.grading.trace import Run
from lab.observe import Observer, Snapshot
from lab.sandbox import Engine, Program, Sandbox

LAUNCHER = (
    "# proclab launcher: waits for SIGUSR1, then becomes the submission\n"
    "import os, signal, sys\n"
    "os.nice(19)\n"
    "signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})\n"
    "signal.signal(signal.SIGUSR1, lambda *_: None)\n"
    "signal.sigwaitinfo({signal.SIGUSR1})\n"
    "signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGUSR1})\n"
    "os.execvp('python3', ['python3', 'solution.py', *sys.argv[1:]])\n"
)
READY_TIMEOUT = 20  # seconds for the sandbox, observer and launcher to be ready
FILE_CAP = 1 << 20  # bytes read back of a collected file


class SupervisorLost(Exception):
    """The observer or the reaper died while the sandbox lived on: the submission's doing, not the grader's."""


@dataclass
class Live:
    """What an exercise's `setup` and `drive` hooks may use while a run is in progress."""

    sandbox: Sandbox
    observer: Observer
    trial: Trial
    main: Optional[int] = None  # the submission's PID, once the launcher is seen
    released_at: float = 0.0  # time.monotonic() of the release

    def elapsed(self) -> float:
        return time.monotonic() - self.released_at


def launcher(trial: Trial) -> list:
    return ["python3", "-c", LAUNCHER, *trial.args]


def workdir_archive(submission: Submission, trial: Trial, owner: int) -> bytes:
    """A tar of the working directory: the submission's files and the trial's, owned by `owner`.

    Built here from bytes, so it holds regular files only, whatever the submission folder held.
    """
    buffer = BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        def add(name: str, data: bytes, kind=tarfile.REGTYPE, mode=0o644):
            info = tarfile.TarInfo(name)
            info.type, info.mode, info.uid, info.gid = kind, mode, owner, owner
            info.size = len(data) if kind == tarfile.REGTYPE else 0
            info.mtime = int(time.time())
            tar.addfile(info, BytesIO(data) if kind == tarfile.REGTYPE else None)

        directories = set()
        files = {**submission.files, **{name: text.encode() for name, text in trial.files.items()}}
        for name, data in sorted(files.items()):
            parts = name.split("/")
            for depth in range(1, len(parts)):
                directory = "/".join(parts[:depth])
                if directory not in directories:
                    add(directory, b"", tarfile.DIRTYPE, 0o755)
                    directories.add(directory)
            add(name, data)
    return buffer.getvalue()


class Started:
    """The usual launch: the sandbox runs first (its reaper never reaps, unless the exercise says
    so), and the launcher is started in it as the student."""

    collects = True

    def sandbox(self, engine: Engine, exercise: Exercise, trial: Trial) -> Sandbox:
        return engine.sandbox(f"grade:{exercise.name}", reaper=exercise.reaper, limits=exercise.limits,
                              alone=exercise.counts_pids)

    def start(self, sandbox: Sandbox, trial: Trial) -> Program:
        return sandbox.start(launcher(trial), env=trial.env or None)

    def leftovers(self, observer: Observer, exercise: Exercise, ended: bool, student: int, main: int) -> Snapshot:
        """What is left of the submission's processes: once the main one has ended, after waiting up
        to `exercise.linger` for them to end too (zombies stay: checks judge those). Not the main
        one itself: a late snapshot may show it still its parent's zombie (in place, the supervisor
        reaps it just after reporting its exit)."""
        def theirs(snapshot):
            return Snapshot(p for p in snapshot if p.uid == student and not (ended and p.pid == main))
        if not ended:
            return theirs(observer.snapshot())
        try:
            return theirs(observer.wait_for(lambda s: s if all(p.state == "Z" for p in theirs(s)) else None,
                                            exercise.linger, "the submission's processes to end"))
        except NotObserved:
            return theirs(observer.snapshot())
        except ProclabError:
            return Snapshot()  # the sandbox ended: nothing can outlive it


class AsInit(Started):
    """The launcher is the sandbox's init: there from the start, and the sandbox ends with it, as a
    container ends with its PID 1. Nothing of it is left to collect afterwards."""

    collects = False

    def sandbox(self, engine: Engine, exercise: Exercise, trial: Trial) -> Sandbox:
        return engine.sandbox(f"grade:{exercise.name}", reaper=False, limits=exercise.limits, init=launcher(trial),
                              alone=exercise.counts_pids)

    def start(self, sandbox: Sandbox, trial: Trial) -> Program:
        return sandbox.init()

    def leftovers(self, observer: Observer, exercise: Exercise, ended: bool, student: int, main: int) -> Snapshot:
        return Snapshot() if ended else super().leftovers(observer, exercise, ended, student, main)


def perform(engine: Engine, exercise: Exercise, submission: Submission, trial: Trial) -> Run:
    """Run the submission once under `trial` and return what was observed. Always removes the sandbox."""
    launch = AsInit() if exercise.as_pid1 else Started()
    sandbox = launch.sandbox(engine, exercise, trial)
    try:
        return _record(sandbox, launch, exercise, submission, trial)
    finally:
        sandbox.remove()


def _is_launcher(process, student: int) -> bool:
    """Ours, waiting: the student's uid tells it from another sandbox's where the observer sees them all."""
    return process.cmdline[:3] == ("python3", "-c", LAUNCHER) and process.catches(signal.SIGUSR1) \
        and process.uid == student


def _record(sandbox: Sandbox, launch: Started, exercise: Exercise, submission: Submission, trial: Trial) -> Run:
    sandbox.unpack(workdir_archive(submission, trial, sandbox.student_uid))
    observer = Observer(sandbox, everything=exercise.sees_everything)
    recording = observer.record()
    live = Live(sandbox, observer, trial)
    program = launch.start(sandbox, trial)
    main = observer.wait_for(lambda s: next((p for p in s if _is_launcher(p, sandbox.student_uid)), None),
                             READY_TIMEOUT, "the grader's launcher waiting to start the submission")
    live.main = main.pid
    setup = exercise.setup(live) if exercise.setup else None
    live.released_at = time.monotonic()
    sandbox.signal(live.main, signal.SIGUSR1)
    try:
        if exercise.drive:
            exercise.drive(live)
        exit_code = _wait(program, exercise.time_limit - live.elapsed())
        output_limit = program.truncated and exit_code is None
        exited_at = None if exit_code is None else live.elapsed()
        leftovers = launch.leftovers(observer, exercise, exit_code is not None, sandbox.student_uid, live.main)
        files = {name: sandbox.read_file(f"{sandbox.workdir}/{name}", FILE_CAP)
                 for name in exercise.collect} if launch.collects else {}
    except ProclabError:
        if _supervisor_lost(observer, sandbox):
            raise SupervisorLost("the observer stopped while the sandbox ran") from None
        raise
    if _supervisor_lost(observer, sandbox):
        raise SupervisorLost("the observer stopped while the sandbox ran")
    counters = {**observer.counters, **sandbox.verdicts()}
    program.output_closed(0 if exit_code is None else 2)
    output, output_truncated = program.output, program.truncated
    # Only now: a process that outlives the main one writes until the sandbox is removed, and
    # checks judge its output by how long it was seen alive. The recording must cover the output.
    observer.unwatch(recording)
    frames = [(t - live.released_at, snapshot) for t, snapshot in recording.frames]
    if exited_at is not None:
        # when the observer first saw it gone, not when the grader noticed: the exit is polled
        exited_at = next((t for t, s in frames if t >= 0 and s.pid(live.main) is None), exited_at)
    return Run(
        trial=trial, main=live.main, frames=frames,
        ended=(recording.last_seen or live.released_at) - live.released_at,
        exit_code=exit_code, exited_at=exited_at, timed_out=exit_code is None and not output_limit,
        time_limit=exercise.time_limit, output=output, output_truncated=output_truncated,
        leftovers=leftovers, files=files, setup=setup, counters=counters,
        limits=exercise.limits, student_uid=sandbox.student_uid, reaper=sandbox.reaper,
        started_ppid=sandbox.started_ppid, backend=sandbox.backend,
    )


def _supervisor_lost(observer: Observer, sandbox: Sandbox) -> bool:
    """The observer has stopped, yet its sandbox still runs: someone inside killed it.

    (When the sandbox itself has gone — removed, or its init ended — that is not this.)
    """
    return observer.ended and sandbox.alive()


def _wait(program: Program, timeout: float) -> Optional[int]:
    """The exit status, or None at `timeout` — or as soon as the output passes its cap: a
    program that floods its output is stopped then, not fed until the time limit."""
    deadline = time.monotonic() + timeout
    while True:
        code = program.wait(min(0.25, max(deadline - time.monotonic(), 0)))
        if code is not None or program.truncated or time.monotonic() >= deadline:
            return code
