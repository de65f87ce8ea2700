"""The supervisor of one sandbox in place: its reaper, and the only one that starts its programs.

`lab.backends.local` runs it as ``python3 supervisor.py``, its configuration (JSON) on standard
input, with one end of a SOCK_SEQPACKET socket pair open as ``config["control"]``. It does in place what PID 1 of a
container and the engine do together, with the standard library only:

* It is a child subreaper (PR_SET_CHILD_SUBREAPER): every orphan below it — whatever it did:
  double fork, setsid — is adopted by it, not by the host's init. With ``reap`` it reaps them
  at once, like tini; without, never until the end, like a PID 1 that never waits, so that a
  zombie nobody waited for stays in the table with its exit status.
* On request it starts a program, as the student (a dedicated uid, a session of its own,
  confined by `confine`) or as itself (the grader's helpers), with its output on a pipe the host
  hands over with the request, and reports the program's exit status when it ends.
* It enforces what rlimits cannot: the resident memory of all its processes together (the
  biggest is killed, as the cgroup's OOM killer does), counted in ``oom_kills``, and it counts
  the moments the student's uid stood at its process limit (``pids_limit_hits``).
* It ends everything — at the host's ``end``, when the host goes away (its socket closes: even
  a SIGKILLed grader leaves nothing running), at the sandbox's wall-clock deadline, and when a
  program started as the sandbox's init exits (as the kernel does when PID 1 exits): every
  process below it and every process of the student's uid is killed and reaped.

Messages are JSON, one per packet. The host sends ``{"id", "op": "start" | "signal" | "counters"
| "end", ...}`` and gets ``{"id", ...}`` back; ``{"exit": PID, "status": N}`` comes unasked.
"""

import array
import ctypes
import json
import os
import resource
import select
import signal
import socket
import sys
import time
from typing import Optional

from lab import procfs
from lab.backends.confine import confine

PR_SET_CHILD_SUBREAPER = 36
TICK = 0.02  # seconds between rounds of reaping and watching: the observer samples every 10 ms
PSS_EVERY = 0.25  # seconds between readings of proportional sizes (costly: see procfs.proportional)
MAX_FDS = 4  # file descriptors one request may carry
_libc = ctypes.CDLL(None, use_errno=True)


def receive(sock: socket.socket) -> tuple:
    """(message, fds) of the next packet; (None, []) once the host has gone."""
    fds = array.array("i")
    data, ancillary, _, _ = sock.recvmsg(1 << 20, socket.CMSG_LEN(MAX_FDS * fds.itemsize))
    for level, kind, payload in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(payload[:len(payload) - len(payload) % fds.itemsize])
    return (json.loads(data) if data else None), list(fds)


class Supervisor:
    def __init__(self, config: dict):
        self.uid, self.gid = config["uid"], config["gid"]  # None: the student is whoever runs us
        self.reap = config["reap"]
        self.limits = config["limits"]
        self.deadline = time.monotonic() + config["wall_seconds"]
        self.control = socket.socket(fileno=config["control"])
        os.set_inheritable(self.control.fileno(), False)
        self.started = {}  # PID -> whether it is the sandbox's init
        self.counters = {"oom_kills": 0, "pids_limit_hits": 0, "memory_peak": 0}
        self.me = os.getpid()
        self.shares = {}  # PID -> proportional size, as last read
        self.shares_read = 0.0  # time.monotonic() of that reading

    def send(self, message: dict) -> None:
        try:
            self.control.send(json.dumps(message).encode())
        except OSError:
            pass  # the host has gone: the main loop notices and ends everything

    def serve(self) -> None:
        if _libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "cannot become a child subreaper")
        while time.monotonic() < self.deadline:
            if select.select([self.control], [], [], TICK)[0]:
                message, fds = receive(self.control)
                if message is None:
                    break  # the host has gone
                self.send(self.handle(message, fds))
                if message["op"] == "end":
                    return
            self.collect()
            self.watch()
        self.end()

    def handle(self, message: dict, fds: list) -> dict:
        answer = {"id": message["id"]}
        try:
            if message["op"] == "start":
                answer["pid"] = self.start(message, fds[0])
            elif message["op"] == "signal":
                os.kill(message["pid"], message["signum"])
            elif message["op"] == "end":
                self.end()
            answer["counters"] = self.counters
        except OSError as error:
            answer["error"] = error.strerror or str(error)
        finally:
            for fd in fds:
                _close(fd)
        return answer

    # -- starting ------------------------------------------------------------------------------

    def start(self, request: dict, output: int) -> int:
        """Fork, become what the request asks for, exec. An error before the exec comes back
        through a pipe that the exec closes (close-on-exec), so a missing program is an error
        here, not a mystery exit status."""
        errors_in, errors_out = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                os.close(errors_in)
                self.become(request, output)
            except BaseException as error:  # noqa: BLE001 - whatever it is, the host hears of it
                os.write(errors_out, f"{request['argv'][0]}: {error}".encode())
            os._exit(127)
        os.close(errors_out)
        with os.fdopen(errors_in, "rb") as pipe:
            error = pipe.read().decode(errors="replace")
        if error:
            os.waitpid(pid, 0)
            raise OSError(0, error)
        self.started[pid] = bool(request.get("init"))
        return pid

    def become(self, request: dict, output: int) -> None:
        """In the child: a session of its own, the student's uid and confinement, then exec."""
        os.setsid()
        for signum in (signal.SIGPIPE, signal.SIGXFSZ):  # Python ignores these; exec would keep that
            signal.signal(signum, signal.SIG_DFL)
        if request.get("init"):
            _libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)  # its orphans are its own, as PID 1's are
        if request["student"]:
            with open("/proc/self/oom_score_adj", "w") as f:
                f.write("1000")  # under memory pressure the kernel picks the student's processes first
            if self.uid is not None:
                os.setgroups([])
                os.setgid(self.gid)
                os.setuid(self.uid)
            limits = self.limits
            confine(processes=limits["processes"] or resource.RLIM_INFINITY, address_space=limits["address_space"],
                    open_files=limits["open_files"], file_size=limits["file_size"],
                    cpu_seconds=limits["cpu_seconds"], network=False)
        os.chdir(request["cwd"])
        os.dup2(output, 1)
        os.dup2(output, 2)
        os.close(output)
        stdin = os.open(os.devnull, os.O_RDONLY)
        os.dup2(stdin, 0)
        os.execvpe(request["argv"][0], request["argv"], request["env"])

    # -- while it runs -------------------------------------------------------------------------

    def collect(self) -> None:
        """Report the programs we started that have ended; reap orphans too when we reap."""
        for pid in list(self.started):
            try:
                if os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
                    self.count_tasks()  # before its reaping frees one of the uid's process slots
                done, status = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                continue  # reaped meanwhile, by the end of an init
            if done:
                self.reaped(pid, status)
        if self.reap:
            self.reap_waiting()

    def reap_waiting(self) -> None:
        """Reap every child of ours that has ended (orphans included), until none is waiting."""
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if not pid:
                return
            self.reaped(pid, status)

    def reaped(self, pid: int, status: int) -> None:
        """A child of ours has been waited for: if we started it, the host hears how it ended."""
        if pid not in self.started:
            return  # an orphan
        init = self.started.pop(pid)
        code = os.waitstatus_to_exitcode(status)
        if init:
            self.kill_all()  # the init has gone: so does everything else, as in a PID namespace
        self.send({"exit": pid, "status": 128 - code if code < 0 else code})

    def watch(self) -> None:
        """The limits no rlimit can keep: memory across processes, and the count of processes.

        One walk of our subtree, one read of each process's stat: a fork bomb's 128 processes
        make every round cost, and a round that costs more than the student's share of the CPU
        leaves us behind (their processes run at a lower priority, not at none).
        """
        usage = {pid: procfs.usage(pid) for pid in procfs.descendants(self.me) if pid != self.me}
        self.count_tasks(usage)
        memory = {pid: rss for pid, (_, rss) in usage.items()}
        if sum(memory.values()) > self.limits["memory"]:  # resident sizes count shared pages again and again
            memory = self.proportional(memory)
        self.counters["memory_peak"] = max(self.counters["memory_peak"], sum(memory.values()))
        if sum(memory.values()) > self.limits["memory"]:
            self.counters["oom_kills"] += 1
            _kill(max(memory, key=memory.get))  # the biggest, as the OOM killer chooses
            self.shares.clear()

    def count_tasks(self, usage: Optional[dict] = None) -> None:
        """A hit of the process limit: the student's uid holds every task RLIMIT_NPROC allows
        (zombies too: they keep their slot until reaped).

        Each round counts the `usage` of our subtree, where every process of the uid is (an
        orphan comes to us, its subreaper), though a walk can miss a few while their parent dies
        and they move. So when a program we started ends, the count is over the whole uid (every
        PID's owner): a fork bomb whose every process died of a failed fork is still counted."""
        if self.uid is None or not self.limits["processes"]:
            return
        if usage is None:
            usage = {pid: procfs.usage(pid) for pid in _pids() if _owner(pid) == self.uid}
        tasks = sum(threads or 1 for pid, (threads, _) in usage.items() if _owner(pid) == self.uid)
        if tasks >= self.limits["processes"]:
            self.counters["pids_limit_hits"] += 1

    def proportional(self, resident: dict) -> dict:
        """Each process's proportional size (its resident size where that cannot be read: a
        helper of ours, run as root), from readings at most PSS_EVERY s old: a fork bomb makes
        them costly. All are read afresh together, since a share shrinks as more processes come
        to share its pages: a reading kept from when there were fewer would count them again.
        Read with the student's file-system ids: without CAP_SYS_PTRACE (Docker's default
        capabilities) root may not read another uid's smaps_rollup, and the uid itself may."""
        if time.monotonic() - self.shares_read > PSS_EVERY:
            self.shares, self.shares_read = {}, time.monotonic()
        if self.uid is not None:
            _libc.setfsgid(self.gid)
            _libc.setfsuid(self.uid)
        try:
            for pid in resident.keys() - self.shares.keys():
                self.shares[pid] = procfs.proportional(pid)
        finally:
            if self.uid is not None:
                _libc.setfsuid(os.getuid())
                _libc.setfsgid(os.getgid())
        return {pid: rss if self.shares.get(pid) is None else self.shares[pid] for pid, rss in resident.items()}

    # -- the end -------------------------------------------------------------------------------

    def kill_all(self) -> None:
        """Kill and reap every process below us and every process of the student's uid, until none is left.

        A killed parent's children come to us (we are their subreaper): the next round gets them.
        """
        for _ in range(1000):
            victims = [pid for pid in procfs.descendants(self.me) if pid != self.me]
            if self.uid is not None:
                victims += [pid for pid in _pids() if _owner(pid) == self.uid and _alive(pid)]
            for pid in victims:
                _kill(pid)
            self.reap_waiting()
            if not victims:
                return
            time.sleep(0.001)  # allowed: a beat for the kernel to finish the kills before the next round

    def end(self) -> None:
        self.kill_all()


def _pids() -> list:
    return [int(entry) for entry in os.listdir("/proc") if entry.isdigit()]


def _owner(pid: int) -> int:
    try:
        return os.stat(f"/proc/{pid}").st_uid
    except OSError:
        return -1


def _alive(pid: int) -> bool:
    """Present and not a zombie (another process's zombie is not ours to remove: its parent is killed)."""
    process = procfs.read_process(pid)
    return process is not None and process.state != "Z"


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass  # gone already


def _close(fd: int) -> None:
    try:
        os.close(fd)
    except OSError:
        pass


if __name__ == "__main__":
    Supervisor(json.load(sys.stdin)).serve()  # not in argv: `ps` shows students a short command line
