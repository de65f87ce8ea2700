"""Watching a sandbox's process table from the host.

An `Observer` has the sandbox start `lab/procfs.py` as its supervisor, which prints a snapshot of
/proc every few milliseconds (see `Sandbox.observe`); the student's processes run as another uid,
so they cannot signal it. The host
answers three questions from the snapshots: *what does the table look like now* (`snapshot`),
*does a condition come true before a deadline* (`wait_for`) or *hold for a stretch of time*
(`holds_for`), and *did it ever hold* (`watch`, which sees every snapshot). Nothing here sleeps
to synchronise: it reads snapshots as they come.
"""

import json
import threading
import time
from typing import Any, Callable, Optional

from tabulate import tabulate

from lab import procfs
from lab.errors import NotObserved, ProclabError
from lab.procfs import Process
from lab.sandbox import Sandbox

DEFAULT_INTERVAL = 0.01  # seconds between snapshots: catches a zombie that lives 20 ms


class Snapshot(tuple):
    """The sandbox's process table at one moment: a tuple of `Process`, sorted by PID."""

    def pid(self, pid: int) -> Optional[Process]:
        return next((p for p in self if p.pid == pid), None)

    def children(self, ppid: int, state: Optional[str] = None) -> list:
        return [p for p in self if p.ppid == ppid and (state is None or p.state == state)]

    def zombies(self) -> list:
        return [p for p in self if p.state == "Z"]

    def alive(self, pids) -> list:
        """The processes among `pids` that are alive: present, and not zombies."""
        return [p for p in self if p.pid in pids and p.state != "Z"]

    def table(self) -> str:
        """The table as a person reads it (what the failure messages show)."""
        rows = [(p.pid, p.ppid, p.uid, p.state, p.command[:70]) for p in self]
        return tabulate(rows, headers=["PID", "PPID", "UID", "STAT", "COMMAND"])


class Observer:
    """The live process table of one sandbox."""

    def __init__(self, sandbox: Sandbox, interval: float = DEFAULT_INTERVAL, everything: bool = False):
        self._newest = (0, Snapshot())  # (sequence number, Snapshot); 0: none yet
        self._ended = False
        self._pending = b""
        self._watches = []
        self.counters = {}  # the sandbox's counters (processes, memory: see procfs.read_counters), newest
        self._changed = threading.Condition()
        self.process = sandbox.observe(interval, self._feed, everything)

    def _feed(self, chunk) -> None:
        """Called with each piece of the observer's output, and with None when it ends."""
        if chunk is None:
            with self._changed:
                self._ended = True
                self._changed.notify_all()
            return
        *lines, self._pending = (self._pending + chunk).split(b"\n")
        for line in lines:
            if line == procfs.UNCHANGED.encode():
                self._add(self._newest[1])
                continue
            data = json.loads(line)
            if isinstance(data, dict):
                self.counters = data  # the cgroup's counters, sent when they change
            else:
                self._add(Snapshot(procfs.from_record(r) for r in data))

    def _add(self, snapshot: Snapshot) -> None:
        with self._changed:
            self._newest = (self._newest[0] + 1, snapshot)
            for watch in self._watches:
                watch.see(snapshot)
            self._changed.notify_all()

    def _next(self, after: int, deadline: float) -> tuple:
        """The newest snapshot numbered above `after`: (number, snapshot), or (None, None) at the deadline.

        The newest, not the next: a slow condition (one that reads a file) then looks at the
        current state instead of falling ever further behind. `Watch` is what sees every one.
        """
        with self._changed:
            while True:
                if self._newest[0] > after:
                    return self._newest
                if self._ended:
                    raise ProclabError("the observer stopped: the sandbox is gone or the observer was killed")
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None, None
                self._changed.wait(remaining)

    @property
    def ended(self) -> bool:
        """Whether the observer has stopped (its sandbox ended, or it was killed)."""
        with self._changed:
            return self._ended

    def _latest(self) -> Snapshot:
        """The newest snapshot there is, however old (empty before the first one)."""
        with self._changed:
            return self._newest[1]

    def _mark(self) -> int:
        """A number such that every snapshot numbered above it was *started* after this call."""
        with self._changed:
            return self._newest[0] + 1  # the one being taken now may have begun before the call

    def snapshot(self, timeout: float = 10) -> Snapshot:
        """A snapshot taken entirely after this call."""
        _, snapshot = self._next(self._mark(), time.monotonic() + timeout)
        if snapshot is None:
            raise ProclabError(f"the observer produced no snapshot within {timeout:g} s")
        return snapshot

    def wait_for(self, condition: Callable[[Snapshot], Any], timeout: float, expected: str) -> Any:
        """Poll snapshots until `condition(snapshot)` is truthy; return that value.

        At the deadline, raise NotObserved with `expected` and the last table seen. The
        deadline is checked after every evaluation, so a slow condition cannot outlive it.
        """
        deadline = time.monotonic() + timeout
        number, last = self._mark(), None
        while True:
            number, snapshot = self._next(number, deadline)
            if snapshot is not None:
                if result := condition(snapshot):
                    return result
                last = snapshot
            if snapshot is None or time.monotonic() >= deadline:
                raise NotObserved(expected, "within", timeout, (last or self._latest()).table())

    def holds_for(self, condition: Callable[[Snapshot], Any], seconds: float, expected: str) -> None:
        """Check that `condition` holds in the snapshots of the next `seconds`: behaviour over time."""
        deadline = time.monotonic() + seconds
        number = self._mark()
        while time.monotonic() < deadline:
            number, snapshot = self._next(number, deadline)
            if snapshot is None:
                return
            if not condition(snapshot):
                raise NotObserved(expected, "for", seconds, snapshot.table())

    def watch(self, condition: Callable[[Snapshot], Any]) -> "Watch":
        """Record, from now until `Watch.stop`, the first snapshot in which `condition` holds."""
        watch = Watch(condition)
        with self._changed:
            self._watches.append(watch)
        return watch

    def unwatch(self, watch) -> None:
        with self._changed:
            self._watches.remove(watch)

    def record(self) -> "Recording":
        """Keep every change of the table from now on, with the time it was seen (see `Recording`)."""
        recording = Recording()
        with self._changed:
            self._watches.append(recording)
        return recording


class Watch:
    """The first snapshot, among all taken while it was on, that matched a condition.

    This is how "no zombie *ever* appears" is checked: every snapshot is looked at, none is
    skipped, however slowly the caller polls.
    """

    def __init__(self, condition: Callable[[Snapshot], Any]):
        self.condition = condition
        self.seen = 0
        self.match: Optional[Snapshot] = None
        self.error: Optional[Exception] = None

    def see(self, snapshot: Snapshot) -> None:
        """Called by the observer's reader for every snapshot; must never raise there."""
        self.seen += 1
        if self.match is None and self.error is None:
            try:
                if self.condition(snapshot):
                    self.match = snapshot
            except Exception as error:  # noqa: BLE001 - kept, and raised by `check`
                self.error = error

    def check(self, claim: str) -> None:
        """Raise NotObserved if the condition ever held (or re-raise what the condition raised)."""
        if self.error is not None:
            raise self.error
        if self.match is not None:
            raise NotObserved(claim, "never", 0, self.match.table())


class Recording:
    """Every distinct table the observer produced while it was on, with when it was first seen.

    A snapshot equal to the one before it is not kept again, so a quiet program costs almost
    nothing however long it runs; `limit` bounds the memory a program that changes its table
    without end (a fork bomb) can make the host use: past it, `truncated` is set.
    """

    def __init__(self, limit: int = 20000):
        self.frames = []  # [(time.monotonic() when first seen, Snapshot)]
        self.limit = limit
        self.truncated = False
        self.last_seen = None  # when the newest snapshot (changed or not) arrived

    def see(self, snapshot: Snapshot) -> None:
        self.last_seen = time.monotonic()
        if self.frames and self.frames[-1][1] == snapshot:
            return
        if len(self.frames) >= self.limit:
            self.truncated = True
            return
        self.frames.append((self.last_seen, snapshot))
