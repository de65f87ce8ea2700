"""The sandbox boundary: the one way labs and grading reach the place where programs run.

A sandbox is where a lab's programs or a student's submission run, locked down and watched: a
Docker container (`lab.backends.docker`), or a subtree of processes in place, under a subreaper
of ours (`lab.backends.local`). Everything above this module — the observer, the labs, the
grader — speaks only this protocol, so it runs unchanged on either; only a backend module
imports an engine's SDK.

Two roles run in a sandbox: the *student* (unprivileged: the student's code, and what a lab
shows them typing) and the *supervisor* (the grader's own helpers, which the student cannot
signal). Every sandbox has a *reaper*, the process that adopts orphans: PID 1 of a container,
or the subreaper in place. It reaps them (``reaper=True``: tini, or our subreaper) or never
does, so that a zombie nobody waited for stays in the table with its exit status until the end.
"""

import importlib
import os
import sys
import threading
import time
from dataclasses import dataclass
from typing import Callable, Optional

from lab.errors import ProclabError

BACKENDS = ("docker", "local")
DEFAULT_BACKEND = "docker"
OUTPUT_CAP = 1 << 20  # bytes of a program's output kept; the rest is dropped (and said so)


@dataclass(frozen=True)
class Limits:
    """What one sandbox may use. The defaults suit every lab; graders pass their own."""

    pids: int = 128
    memory: str = "256m"
    cpus: float = 1.0
    wall_seconds: int = 600
    tmpfs: str = "64m"
    open_files: int = 1024

    @property
    def memory_bytes(self) -> int:
        return _bytes(self.memory)

    @property
    def disk_bytes(self) -> int:
        return _bytes(self.tmpfs)


def _bytes(size: str) -> int:
    """'256m' -> 268435456 (k, m, g: powers of 1024, as Docker reads them)."""
    scale = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30}.get(size[-1].lower(), 1)
    return int(float(size.rstrip("kKmMgG")) * scale)


class Program:
    """A program started in a sandbox: its output as it comes, and its exit status.

    A backend feeds the output with `_receive(chunk)` (and `_receive(None)` at its end, once
    every holder of the program's stdout has closed it) and says how to learn the exit status.
    Output is kept up to `OUTPUT_CAP` bytes, so a program that prints without end cannot
    exhaust the host's memory; or it is passed chunk by chunk to `sink`.
    """

    pid: Optional[int] = None  # its PID in the sandbox, where the backend knows it (in place)

    def __init__(self, sink: Optional[Callable[[Optional[bytes]], None]] = None):
        self._chunks = []
        self._size = 0
        self.truncated = False
        self._sink = sink or self._keep
        self._closed = threading.Event()

    def _receive(self, chunk: Optional[bytes]) -> None:
        self._sink(chunk)
        if chunk is None:
            self._closed.set()

    def _keep(self, chunk: Optional[bytes]) -> None:
        if chunk is None:
            return
        room = OUTPUT_CAP - self._size
        if len(chunk) > room:
            self.truncated = True
        if room > 0:
            self._chunks.append(chunk[:room])
            self._size += min(len(chunk), room)

    @property
    def output(self) -> str:
        return b"".join(self._chunks).decode("utf-8", "replace")

    def output_closed(self, timeout: float) -> bool:
        """Wait until every holder of the program's stdout has closed it."""
        return self._closed.wait(timeout)

    def exit_code(self) -> Optional[int]:
        """The exit status (128+N for death by signal N, as a shell says it), or None while it runs."""
        raise NotImplementedError

    def wait(self, timeout: float) -> Optional[int]:
        """The exit status once the program has ended, or None if it still runs at `timeout`."""
        deadline = time.monotonic() + timeout
        while (code := self.exit_code()) is None and time.monotonic() < deadline:
            self._closed.wait(0.02)  # poll period; returns early once the output is closed
        return code


class Sandbox:
    """One running sandbox. Backends implement every method; see the module's docstring."""

    backend: str  # "docker" or "local"
    reaper: int  # PID of the process that adopts orphans (1 in a container)
    started_ppid: int  # the PPID that programs started by `start` show (0: from outside a container)
    student_uid: int  # the uid student code runs as
    scratch: str  # a folder of the supervisor's, readable by the student: programs are installed here
    workdir: str  # the submission's working directory, writable by the student

    def start(self, argv, student: bool = True, env: Optional[dict] = None, workdir: Optional[str] = None,
              sink=None) -> Program:
        """Start `argv` without waiting for it, as the student or as the supervisor."""
        raise NotImplementedError

    def run(self, argv, student: bool = True, timeout: float = 30) -> tuple:
        """Run `argv` to completion: (exit status, output). A hang past `timeout` is an error."""
        program = self.start(argv, student=student)
        code = program.wait(timeout)
        if code is None:
            raise ProclabError(f"{' '.join(argv)!r} did not finish within {timeout:g} s")
        program.output_closed(timeout)
        return code, program.output

    def signal(self, pid: int, signum: int) -> None:
        """Send `signum` to `pid` from outside the student's processes (to the reaper: as to PID 1)."""
        raise NotImplementedError

    def install(self, name: str, data: bytes) -> str:
        """Place a file in the scratch folder, readable by everyone; return its path in the sandbox."""
        raise NotImplementedError

    def unpack(self, archive: bytes) -> None:
        """Extract a tar archive (built by the caller, in memory) into `workdir`, owned by the student."""
        raise NotImplementedError

    def read_file(self, path: str, cap: int) -> Optional[str]:
        """At most `cap` bytes of a file, read as the student; None if it cannot be read."""
        raise NotImplementedError

    def observe(self, interval: float, sink, everything: bool = False) -> Program:
        """Start the observer (`lab.procfs`, as the supervisor): one JSON line per snapshot to `sink`.

        It shows the sandbox's processes — in place, the reaper's subtree; `everything` shows all
        of /proc that the sandbox can see (what a student's own `ps` sees there).
        """
        raise NotImplementedError

    def init(self) -> Program:
        """The sandbox's init program (see `Engine.sandbox`)."""
        raise NotImplementedError

    def alive(self) -> bool:
        """Whether the sandbox still runs (its reaper, or the container, is there)."""
        raise NotImplementedError

    def verdicts(self) -> dict:
        """What the backend itself saw happen, beside the observer's counters (e.g. the engine's OOMKilled)."""
        return {}

    def remove(self) -> None:
        """End the sandbox now: every process in it killed and reaped, its files gone."""
        raise NotImplementedError


class Engine:
    """A backend's connection: starts sandboxes and removes every one it started when it closes.

    Use it as a context manager. `run_id` names this run's sandboxes, so that a run's own exit
    path — or the next run of the same batch, after a SIGKILL — finds them all.
    """

    name: str
    run_id: str
    faults: tuple = ()  # exception types that mean the engine failed: the grader's fault, never the student's

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def sandbox(self, purpose: str, reaper: bool = True, limits: Limits = Limits(),
                init: Optional[list] = None, alone: bool = False) -> Sandbox:
        """Start a sandbox. `reaper` chooses whether orphans are reaped. With `init` (an argv, run
        as the student), that program is the sandbox's init — PID 1 of a container, or a
        subreaper in place — and the sandbox ends when it ends. With `alone`, no other sandbox
        of this engine runs beside it where they would share a PID space (in place)."""
        raise NotImplementedError

    def for_thread(self) -> "Engine":
        """An engine a worker thread can use beside this one (same run), e.g. its own HTTP session."""
        return self

    def answers(self) -> bool:
        """Whether the engine still answers (a batch stops when it does not)."""
        return True

    def sweep(self) -> None:
        """Remove what a killed run of this `run_id` left, and anything past its deadline."""

    def close(self) -> None:
        """Remove every sandbox of this run."""


def backend_name(name: Optional[str] = None) -> str:
    """The backend asked for (`--backend`, else PROCLAB_BACKEND, else docker), checked."""
    chosen = name or os.environ.get("PROCLAB_BACKEND") or DEFAULT_BACKEND
    if chosen not in BACKENDS:
        raise ProclabError(f"no backend named {chosen!r}; the backends are: {', '.join(BACKENDS)}")
    return chosen


def connect(name: Optional[str] = None, purpose: str = "lab", run_id: Optional[str] = None) -> Engine:
    """An engine of the named backend, ready to use, or a one-line ProclabError saying why not.

    `purpose` is "lab" (our own programs) or "grade" (untrusted code): a backend may refuse the
    second where it cannot confine it. The backend's module is imported only here, so that
    nothing of an engine SDK is loaded unless that engine is used.
    """
    chosen = backend_name(name)
    if not sys.platform.startswith("linux") and chosen == "local":
        raise ProclabError(f"the local backend needs Linux (/proc); this is {sys.platform}: use --backend docker")
    module = importlib.import_module(f"lab.backends.{chosen}")
    return module.connect(purpose=purpose, run_id=run_id)
