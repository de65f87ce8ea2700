"""Read a Linux process table straight from /proc.

This module is the observer's eye. It uses the standard library only, because the harness sends
its source into the container (``python3 -c``) and runs it there: `docker top` cannot be used
(it does not list zombies, they have left the cgroup) and processes started with `docker exec`
have PPID 0, so only /proc inside the container tells the truth. Running our own source, not the
image's copy, means a stale image can never change what is observed.

The same functions parse the records on the host, and are unit-tested there.
"""

import json
import os
import sys
import time
from typing import NamedTuple, Optional

SIGCHLD = 17


class Process(NamedTuple):
    """One row of a process table, as the kernel reports it."""

    pid: int
    ppid: int
    state: str  # one letter from /proc/<pid>/stat: R S D Z T t X I
    name: str  # the kernel's comm: at most 15 characters, may hold spaces and ')'
    cmdline: tuple  # argv; empty for zombies and kernel threads
    uid: int
    sig_caught: int  # SigCgt mask: bit n-1 set when signal n has a handler
    sig_ignored: int  # SigIgn mask
    sig_blocked: int = 0  # SigBlk mask
    sig_pending: int = 0  # SigPnd | ShdPnd: sent to the thread or the process, not yet handled
    pgid: int = 0  # process group (stat field 5)
    sid: int = 0  # session (stat field 6)
    wait_status: int = 0  # for a zombie: the status its parent will get from wait() (stat field 52)

    def catches(self, signum: int) -> bool:
        return bool(self.sig_caught >> (signum - 1) & 1)

    def ignores(self, signum: int) -> bool:
        return bool(self.sig_ignored >> (signum - 1) & 1)

    def blocks(self, signum: int) -> bool:
        return bool(self.sig_blocked >> (signum - 1) & 1)

    def pending(self, signum: int) -> bool:
        """Has `signum` been sent and not yet handled (blocked, or the process is stopped)?"""
        return bool(self.sig_pending >> (signum - 1) & 1)

    @property
    def exit_code(self) -> Optional[int]:
        """A zombie's exit code as Python's multiprocessing reports it: -N when killed by signal N."""
        if self.state != "Z":
            return None
        signum = self.wait_status & 0x7F
        return -signum if signum else self.wait_status >> 8

    @property
    def command(self) -> str:
        """What `ps` prints in its COMMAND column."""
        if self.state == "Z":
            return f"[{self.name}] <defunct>"
        return " ".join(self.cmdline) if self.cmdline else f"[{self.name}]"


def parse_stat(text: str) -> dict:
    """The fields of /proc/<pid>/stat we use.

    The name sits in parentheses and may itself contain spaces and ')', so the fields after it
    are found after the *last* ')'. The wait status is the last field (52, Linux 3.5 and later);
    the kernel shows it only to readers allowed to ptrace the process, else 0.
    """
    pid_text, _, rest = text.partition(" (")
    name, _, after = rest.rpartition(")")
    fields = after.split()
    return {
        "pid": int(pid_text), "name": name, "state": fields[0], "ppid": int(fields[1]),
        "pgid": int(fields[2]), "sid": int(fields[3]),
        "wait_status": int(fields[49]) if len(fields) > 49 else 0,
    }


STATUS_MASKS = {"SigCgt": "sig_caught", "SigIgn": "sig_ignored", "SigBlk": "sig_blocked",
                "SigPnd": "sig_pending", "ShdPnd": "sig_pending"}


def parse_status(text: str) -> dict:
    """The fields of /proc/<pid>/status we use: the real Uid, and the signal masks (hex).

    A pending signal is in SigPnd (sent to the thread) or ShdPnd (sent to the process): we merge them.
    """
    found = {"uid": 0, "sig_caught": 0, "sig_ignored": 0, "sig_blocked": 0, "sig_pending": 0}
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key == "Uid":
            found["uid"] = int(value.split()[0])
        elif key in STATUS_MASKS:
            found[STATUS_MASKS[key]] |= int(value, 16)
    return found


def parse_cmdline(raw: bytes) -> tuple:
    """argv from /proc/<pid>/cmdline (NUL-separated, possibly not UTF-8)."""
    return tuple(arg.decode("utf-8", "replace") for arg in raw.split(b"\0")[:-1])


def read_process(pid: int, proc: str = "/proc") -> Optional[Process]:
    """The process `pid`, or None when it vanished while being read."""
    base = f"{proc}/{pid}"
    try:
        with open(f"{base}/stat", encoding="utf-8", errors="replace") as f:
            stat = parse_stat(f.read())
        with open(f"{base}/status", encoding="utf-8", errors="replace") as f:
            status = parse_status(f.read())
        with open(f"{base}/cmdline", "rb") as f:
            cmdline = parse_cmdline(f.read())
    except (FileNotFoundError, ProcessLookupError):
        return None
    return Process(cmdline=cmdline, **stat, **status)


def read_table(proc: str = "/proc", exclude=()) -> list:
    """Every process under `proc`, sorted by PID, leaving out the PIDs in `exclude`."""
    pids = sorted(int(entry) for entry in os.listdir(proc) if entry.isdigit())
    table = (read_process(pid, proc) for pid in pids if pid not in exclude)
    return [p for p in table if p is not None]


# The container's own cgroup counters, under cgroup v2 or v1: how often fork failed for the pids
# limit, how many processes the OOM killer killed, and the peak memory use.
CGROUP_COUNTERS = {
    "pids_limit_hits": (("/sys/fs/cgroup/pids.events", "max"), ("/sys/fs/cgroup/pids/pids.events", "max")),
    "oom_kills": (("/sys/fs/cgroup/memory.events", "oom_kill"),
                  ("/sys/fs/cgroup/memory/memory.oom_control", "oom_kill")),
    "memory_peak": (("/sys/fs/cgroup/memory.peak", ""), ("/sys/fs/cgroup/memory/memory.max_usage_in_bytes", "")),
}


def read_counters() -> dict:
    """The cgroup counters that exist here (a counter that cannot be read is left out)."""
    counters = {}
    for name, places in CGROUP_COUNTERS.items():
        for path, key in places:
            try:
                with open(path) as f:
                    text = f.read()
            except OSError:
                continue
            for line in text.splitlines():
                fields = line.split()
                if (not key and len(fields) == 1) or (len(fields) == 2 and fields[0] == key):
                    counters[name] = int(fields[-1])
            break
    return counters


def stream(interval: float) -> None:
    """Print one JSON line per snapshot, every `interval` seconds, until stdout closes.

    A snapshot is a JSON array of processes. When the cgroup counters change, a JSON object
    with them comes first. Runs inside the container. The observer leaves itself out: to the
    student, it is not there.
    """
    me = {os.getpid()}
    counters = None
    while True:
        lines = []
        if (now := read_counters()) != counters:
            counters = now
            lines.append(json.dumps(counters))
        lines.append(json.dumps([list(p) for p in read_table(exclude=me)]))
        try:
            sys.stdout.write("\n".join(lines) + "\n")
            sys.stdout.flush()
        except BrokenPipeError:
            return
        time.sleep(interval)  # allowed: the sampling period of the observer, not a synchronisation


def from_record(record: list) -> Process:
    """A Process from one element of a line that `stream` printed (the fields in order)."""
    process = Process(*record)
    return process._replace(cmdline=tuple(process.cmdline))


if __name__ == "__main__":
    stream(float(sys.argv[1]))
