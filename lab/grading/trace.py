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
from lab.procfs import FORK_SERVER, RESOURCE_TRACKER, Process
from lab.sandbox import Limits
from lab.text import CLAUSES, T, join

_SIGNALS = {s.value for s in signal.Signals}
_STATE_WORDS = {"S": T("blocked", "阻塞"), "D": T("blocked", "阻塞"), "R": T("running", "运行中"),
                "T": T("stopped", "已停止"), "Z": T("a zombie", "僵尸进程")}


def state_of(process: Process) -> T:
    """`state S, blocked`: a process's state as a failure message gives it. In a graded program
    a sleeping process is nearly always blocked: in get(), recv(), join() or wait()."""
    what = _STATE_WORDS.get(process.state)
    return T(f"state {process.state}{', ' + what.en if what else ''}",
             f"状态 {process.state}{'，' + what.zh if what else ''}")


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
    def the_reaper(self) -> T:
        """Who adopted orphans, as a failure message names it: PID 1, or the subreaper in place."""
        if self.reaper == 1:
            return T("PID 1", "1 号进程")
        return T(f"the subreaper (PID {self.reaper})", f"子进程收割者（PID {self.reaper}）")

    # -- the output ---------------------------------------------------------------------------

    @property
    def lines(self) -> list:
        return self.output.splitlines()

    def output_excerpt(self, limit: int = 2000, lang: str = "en") -> str:
        """The end of the output (where the error usually is), at most `limit` characters."""
        text = self.output if len(self.output) <= limit else "…" + self.output[-limit:]
        cut = T("[output cut at the grader's limit]", "[输出在评分程序的上限处被截断]")(lang)
        return text + (f"\n{cut}" if self.output_truncated else "")

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
    # Python's helpers (see RESOURCE_TRACKER) are left out of every one of these, and the children
    # a fork server forks for the main process count as the main process's own.

    def __post_init__(self):
        self.python_helpers = self._python_helpers()
        self.fork_servers = {pid for pid, kind in self.python_helpers.items() if kind == FORK_SERVER}
        self.leftovers = Snapshot(p for p in self.leftovers if p.pid not in self.python_helpers)

    def _python_helpers(self) -> dict:
        """PID -> RESOURCE_TRACKER or FORK_SERVER, for every helper of the student's Python seen.

        Every sighting counts: a helper is first seen between its fork and its exec, with its
        parent's command line, and known by its own only later. The processes a fork server
        forks carry the server's command line too: they are the student's, and their parent is
        a server, where a server's parent is the main process.
        """
        found = {}
        for _, snapshot in self.frames:
            for p in snapshot:
                if p.uid != self.student_uid:
                    continue
                if p.runs(RESOURCE_TRACKER):
                    found[p.pid] = RESOURCE_TRACKER
                elif p.runs(FORK_SERVER) and p.ppid == self.main:
                    found[p.pid] = FORK_SERVER
        return found

    def _parents(self, of: Optional[int]) -> set:
        """The PIDs whose children are `of`'s (the main process's by default): itself, and for the
        main process, its fork servers."""
        if of is None or of == self.main:
            return {self.main} | self.fork_servers
        return {of}

    def children_in(self, snapshot: Snapshot, of: Optional[int] = None) -> list:
        """The children of `of` (the main process by default) in one table, Python's helpers left out."""
        parents = self._parents(of)
        return [p for p in snapshot if p.ppid in parents and p.pid not in self.python_helpers]

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
                    family.add(process.pid)
                    if process.pid not in self.python_helpers:
                        found[process.pid] = process
        return found

    def children(self, of: Optional[int] = None) -> dict:
        """Processes ever seen as children of `of` (the main process by default): PID -> first sighting."""
        found = {}
        for _, snapshot in self.frames:
            for process in self.children_in(snapshot, of):
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
                if process.pid not in self.python_helpers:
                    rows.setdefault(process.pid, process)
        return {pid: (self.zombie_time(pid), row) for pid, row in rows.items()}

    def student_processes(self, snapshot: Snapshot) -> list:
        """The processes of the student's uid in one table, Python's helpers left out."""
        return [p for p in snapshot if p.uid == self.student_uid and p.pid not in self.python_helpers]

    def leftover_phrases(self) -> list:
        """One phrase (a `T`) for each process of the submission still there after the main one exited."""
        return [T(f"PID {p.pid}, a zombie nobody waited for (exit status {p.exit_code}), a child of PID {p.ppid}",
                  f"PID {p.pid}：没有被等待的僵尸进程（退出状态 {p.exit_code}），是 PID {p.ppid} 的子进程")
                if p.state == "Z" else
                T(f"PID {p.pid} ({state_of(p).en}), still running after the main process exited",
                  f"PID {p.pid}（{state_of(p).zh}）：主进程退出后仍在运行")
                for p in self.leftovers]

    def leftovers_described(self) -> T:
        """Every leftover's phrase, as one text."""
        return join(CLAUSES, self.leftover_phrases())

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
            hit.append(T(f"process limit reached: fork failed at the limit of {self.limits.pids} processes",
                         f"达到进程数上限：fork 在 {self.limits.pids} 个进程的上限处失败"))
        engine_says_oom = self.exit_code == 137 and self.counters.get("engine_oom_killed")
        if self.counters.get("oom_kills") or engine_says_oom:
            memory = f"{self.limits.memory.upper()}iB"
            hit.append(T(f"memory limit: the OOM killer killed processes at the limit of {memory} (no swap)",
                         f"内存上限：OOM killer 在 {memory} 的上限处杀死了进程（没有交换空间）"))
        if self.output_truncated and self.exit_code is None:
            hit.append(T("output limit: more than 1 MiB of output; the program was stopped",
                         "输出上限：输出超过 1 MiB，程序被停止"))
        if self.timed_out:
            hit.append(T(f"time limit: still running after {self.time_limit:g} s (killed)",
                         f"时间上限：{self.time_limit:g} 秒后仍在运行（已被杀死）"))
        return hit

    def describe_end(self) -> T:
        """One line on how the main process ended, for failure messages."""
        if self.timed_out:
            return T(f"the program was still running at the {self.time_limit:g} s time limit",
                     f"到 {self.time_limit:g} 秒的时间上限时程序仍在运行")
        if self.exit_code is None:
            return T("the program was stopped: its output passed the 1 MiB limit",
                     "程序被停止：它的输出超过了 1 MiB 的上限")
        after = self.exited_at or 0
        if 128 < self.exit_code < 128 + signal.NSIG:
            number = self.exit_code - 128
            name = signal.Signals(number).name if number in _SIGNALS else None
            return T(f"the program ended with status {self.exit_code} after {after:.1f} s, "
                     f"as when killed by {name or 'a signal'}",
                     f"程序在 {after:.1f} 秒后以状态 {self.exit_code} 结束，"
                     f"就像被{name or '某个信号'}杀死时那样")
        return T(f"the program exited with status {self.exit_code} after {after:.1f} s",
                 f"程序在 {after:.1f} 秒后以退出状态 {self.exit_code} 退出")
