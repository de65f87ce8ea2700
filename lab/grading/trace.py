"""What the host observed during one run of a submission: the evidence checks are judged on.

A `Run` holds every distinct process table seen (with the time, in seconds since the submission
was released), the main process's PID and exit status, its output (capped), the files the
exercise collects, and what was still running at the end. Nothing in it comes from the
submission's word about itself, except the output and files the task asks for.

Times come from 10 ms sampling: a state that lasts a few milliseconds may or may not be seen.
Checks therefore speak of *durations* well above the sampling period ("a zombie for at least
0.2 s", "no zombie lasting more than 0.5 s"), so the same submission gets the same verdict every
time instead of being graded by luck.
"""

import signal
from dataclasses import dataclass, field
from typing import Callable, Iterator, Optional

from lab.observe import Snapshot
from lab.procfs import Process
from lab.sandbox import Limits


_SIGNALS = {s.value for s in signal.Signals}
_STATE_WORDS = {"S": "blocked", "D": "blocked", "R": "running", "T": "stopped", "Z": "a zombie"}


def state_of(process: Process) -> str:
    """`state S, blocked`: a process's state as a failure message gives it. In a graded program
    a sleeping process is nearly always blocked: in get(), recv(), join() or wait()."""
    what = _STATE_WORDS.get(process.state)
    return f"state {process.state}{', ' + what if what else ''}"


@dataclass
class Run:
    trial: object  # the Trial this run made
    main: int  # PID of the submission's main process (in the sandbox's PID namespace)
    frames: list  # [(t, Snapshot)]: each distinct table, t = seconds since release
    ended: float  # t when recording stopped
    exit_code: Optional[int]  # None: still running at the time limit
    exited_at: Optional[float]  # t when the main process was last seen (None: it never ended)
    timed_out: bool
    time_limit: float
    output: str
    output_truncated: bool = False
    leftovers: Snapshot = Snapshot()  # the submission's processes still alive at the end
    files: dict = field(default_factory=dict)  # collected name -> text (None: missing)
    setup: object = None  # what the exercise's setup returned
    counters: dict = field(default_factory=dict)  # the sandbox's counters at the end (procfs.read_counters)
    limits: Limits = Limits()
    student_uid: int = 1000  # the uid the submission ran as
    reaper: int = 1  # PID of the process that adopted orphans: PID 1 of a container, or the subreaper in place
    started_ppid: int = 0  # the PPID of processes the grader started (0: from outside a container)
    backend: str = "docker"

    @property
    def the_reaper(self) -> str:
        """Who adopted orphans, as a failure message names it: PID 1, or the subreaper in place."""
        return "PID 1" if self.reaper == 1 else f"the subreaper (PID {self.reaper})"

    # -- the output ---------------------------------------------------------------------------

    @property
    def lines(self) -> list:
        return self.output.splitlines()

    def output_excerpt(self, limit: int = 2000) -> str:
        """The end of the output (where the error usually is), at most `limit` characters."""
        text = self.output if len(self.output) <= limit else "…" + self.output[-limit:]
        return text + ("\n[output cut at the grader's limit]" if self.output_truncated else "")

    # -- the tables -----------------------------------------------------------------------------

    def spans(self) -> Iterator[tuple]:
        """(t, until, snapshot) for each frame: the table as it was from t until `until`."""
        for index, (t, snapshot) in enumerate(self.frames):
            until = self.frames[index + 1][0] if index + 1 < len(self.frames) else self.ended
            yield t, until, snapshot

    def first(self, condition: Callable[[Snapshot], object], since: float = float("-inf")) -> Optional[tuple]:
        """(t, snapshot) of the first table at or after `since` where `condition` holds."""
        return next(((t, s) for t, _, s in self.spans() if t >= since and condition(s)), None)

    def table_at(self, t: float) -> Snapshot:
        """The table as it was at time t (the first one if t is earlier)."""
        current = self.frames[0][1] if self.frames else Snapshot()
        for start, snapshot in self.frames:
            if start > t:
                break
            current = snapshot
        return current

    @property
    def last_table(self) -> Snapshot:
        return self.frames[-1][1] if self.frames else Snapshot()

    def duration(self, pid: int, condition: Callable[[Process], bool]) -> float:
        """For how long, in total, process `pid` existed and satisfied `condition`."""
        total = 0.0
        for t, until, snapshot in self.spans():
            process = snapshot.pid(pid)
            if process is not None and condition(process):
                total += until - max(t, 0.0) if until > 0 else 0.0
        return total

    def seen(self, pid: int) -> list:
        """[(t, Process)] for every frame in which `pid` appears."""
        return [(t, p) for t, s in self.frames if (p := s.pid(pid)) is not None]

    # -- the submission's processes -----------------------------------------------------------

    def descendants(self) -> dict:
        """Every process ever seen that descends from the main one: PID -> first sighting.

        A process is a descendant if, when first seen, its parent was the main process or a
        descendant — so a child reparented to the reaper later still counts.
        """
        found = {}
        family = {self.main}
        for _, snapshot in self.frames:
            for process in snapshot:
                if process.pid not in found and process.ppid in family and process.pid != self.main:
                    found[process.pid] = process
                    family.add(process.pid)
        return found

    def children(self, of: Optional[int] = None) -> dict:
        """Processes ever seen as children of `of` (the main process by default): PID -> first sighting."""
        parent = self.main if of is None else of
        found = {}
        for _, snapshot in self.frames:
            for process in snapshot.children(parent):
                found.setdefault(process.pid, process)
        return found

    def busiest(self, pids) -> tuple:
        """(how many, table): the table with the most processes of `pids` alive (not zombies), so
        that a check's count and the table it shows as evidence are the same one. Of equal
        tables, the first in which the main process runs the submission (not the launcher yet,
        not gone already): where nothing of `pids` ever ran, that is still the telling table."""
        wanted = set(pids)

        def busy(snapshot):
            main = snapshot.pid(self.main)
            return len(snapshot.alive(wanted)), main is not None and "solution.py" in main.cmdline

        table = max((s for _, s in self.frames), key=busy, default=self.last_table)
        return len(table.alive(wanted)), table

    def zombie_time(self, pid: int) -> float:
        return self.duration(pid, lambda p: p.state == "Z")

    def zombies(self) -> dict:
        """Every process ever seen as a zombie: PID -> (seconds it was seen so, its zombie row)."""
        rows = {}
        for _, snapshot in self.frames:
            for process in snapshot.zombies():
                rows.setdefault(process.pid, process)
        return {pid: (self.zombie_time(pid), row) for pid, row in rows.items()}

    def student_processes(self, snapshot: Snapshot) -> list:
        return [p for p in snapshot if p.uid == self.student_uid]

    def leftover_phrases(self) -> list:
        """One phrase for each process of the submission still there after the main one exited."""
        return [f"PID {p.pid}, a zombie nobody waited for (exit status {p.exit_code}), a child of PID {p.ppid}"
                if p.state == "Z" else f"PID {p.pid} ({state_of(p)}), still running after the main process exited"
                for p in self.leftovers]

    # -- limits ---------------------------------------------------------------------------------

    def limits_hit(self) -> list:
        """The sandbox's limits this run ran into, most telling first, each as one phrase.

        Each is decided from what the kernel counted, not from an exit status alone: 137 means
        SIGKILL from anyone. The memory limit is the cgroup's OOM-kill count; where that cannot be
        read, status 137 together with the engine's OOMKilled flag.

        The process limit comes before the memory limit: a program that reached it may also have
        run out of memory, as a consequence, on some runs and not others (a fork bomb's copies
        each dirty their own pages); naming the cause keeps its verdict the same every time.
        """
        hit = []  # phrases without counts: the same submission must get the same verdict every time
        if self.counters.get("pids_limit_hits"):
            hit.append(f"process limit reached: fork failed at the limit of {self.limits.pids} processes")
        engine_says_oom = self.exit_code == 137 and self.counters.get("engine_oom_killed")
        if self.counters.get("oom_kills") or engine_says_oom:
            hit.append(f"memory limit: the OOM killer killed processes at the limit of "
                       f"{self.limits.memory.upper()}iB (no swap)")
        if self.output_truncated and self.exit_code is None:
            hit.append("output limit: more than 1 MiB of output; the program was stopped")
        if self.timed_out:
            hit.append(f"time limit: still running after {self.time_limit:g} s (killed)")
        return hit

    def describe_end(self) -> str:
        """One line on how the main process ended, for failure messages."""
        if self.timed_out:
            return f"the program was still running at the {self.time_limit:g} s time limit"
        if self.exit_code is None:
            return "the program was stopped: its output passed the 1 MiB limit"
        if 128 < self.exit_code < 128 + signal.NSIG:
            name = signal.Signals(self.exit_code - 128).name if self.exit_code - 128 in _SIGNALS else "a signal"
            return (f"the program ended with status {self.exit_code} after {self.exited_at or 0:.1f} s, "
                    f"as when killed by {name}")
        return f"the program exited with status {self.exit_code} after {self.exited_at or 0:.1f} s"
