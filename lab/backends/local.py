"""The local backend: sandboxes in place, without an engine (Gradescope, PrairieLearn, a pod, a Linux PC).

Each sandbox is a supervisor process of ours (`supervisor.py`: a child subreaper, its reaper)
and a scratch folder. Its programs are the supervisor's children; the student's run as a
dedicated uid that nothing else uses (from `UIDS`, one per sandbox, taken with a lock file),
each in a session of its own, with ``no_new_privs``, rlimits and a seccomp filter that refuses
network sockets (`confine.py`). The observer is `lab.procfs`, run here as a process of ours that
reads the supervisor's subtree of /proc with the student's file-system uid (so it reads a
zombie's exit status without CAP_SYS_PTRACE). At the end the supervisor kills and reaps every
process below it and every process of the student's uid; then the scratch folder and the
student's files in /tmp go.

Untrusted code runs as a local user here, so grading (``purpose="grade"``) is refused on a
bare host unless PROCLAB_ALLOW_HOST=1, and needs root (for the dedicated uid). Labs — our own
programs — run anywhere, as whoever runs them. What this cannot defend against (it shares the
host's kernel, file system and PID space, with no cgroup of its own) is in the README.
"""

import array
import fcntl
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tarfile
import tempfile
import threading
import uuid
from io import BytesIO
from pathlib import Path
from typing import Optional

from lab import procfs
from lab.backends import supervisor
from lab.errors import ProclabError
from lab.sandbox import Engine, Limits, Program, Sandbox

FIRST_UID = 64000  # dedicated uids for students' code, one per sandbox at a time, from here up
LOCKS = Path(tempfile.gettempdir()) / ".proclab-uids"  # a lock file per uid in use
LAB_ROOT = str(Path(__file__).resolve().parents[2])  # where `import lab` finds this package
ANSWER_TIMEOUT = 20  # seconds the supervisor may take to answer a request
CONTAINER_MARKS = (".dockerenv", "run/.containerenv")  # Docker's and Podman's, at the root
SHARED_FOLDERS = (tempfile.gettempdir(), "/tmp", "/var/tmp", "/dev/shm")  # where anyone may leave files


def connect(purpose: str = "lab", run_id: Optional[str] = None) -> "LocalEngine":
    """An engine in place, or a one-line ProclabError saying why not here."""
    if not os.path.exists(f"/proc/self/task/{os.getpid()}/children"):
        raise ProclabError("the local backend needs /proc/PID/task/TID/children (Linux 4.2+, CONFIG_PROC_CHILDREN)")
    if purpose == "grade":
        if os.geteuid() != 0:
            raise ProclabError("grading in place runs the submission as a dedicated uid, which needs root "
                               "(a course platform's container runs as root); or use --backend docker")
        if not in_container() and os.environ.get("PROCLAB_ALLOW_HOST") != "1":
            raise ProclabError("--backend local grades in place only inside a container (Gradescope, PrairieLearn, "
                               "a pod): here it would run untrusted code as a local user of this host; "
                               "use --backend docker, or set PROCLAB_ALLOW_HOST=1")
    return LocalEngine(run_id)


def in_container(root: str = "/") -> bool:
    """Whether this process runs in a container (Docker, Podman, Kubernetes, containerd)."""
    if any(os.path.exists(os.path.join(root, mark)) for mark in CONTAINER_MARKS) \
            or "KUBERNETES_SERVICE_HOST" in os.environ:
        return True
    try:
        with open(os.path.join(root, "proc/1/cgroup")) as f:
            return any(word in f.read() for word in ("docker", "kubepods", "containerd", "libpod"))
    except OSError:
        return False


class HostProcess(Program):
    """A process of the host's that serves a sandbox (its observer), with its stdout read as it comes."""

    def __init__(self, argv, sink=None):
        super().__init__(sink)
        self.popen = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                      stderr=subprocess.DEVNULL)
        threading.Thread(target=_pump, args=(self.popen.stdout.fileno(), self), daemon=True).start()

    def exit_code(self) -> Optional[int]:
        return self.popen.poll()

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.kill()
        self.popen.wait()
        self.popen.stdout.close()


class LocalProgram(Program):
    """A program the supervisor started: output from the pipe it writes, exit status from the supervisor."""

    def __init__(self, output: int, sink=None):
        super().__init__(sink)
        self.pid = None
        self._code = None
        threading.Thread(target=_pump, args=(output, self, True), daemon=True).start()

    def exit_code(self) -> Optional[int]:
        return self._code


def _pump(fd: int, program: Program, close: bool = False) -> None:
    """Read `fd` until every writer has closed it, feeding `program`."""
    try:
        while chunk := os.read(fd, 65536):
            program._receive(chunk)
    except OSError:
        pass
    finally:
        if close:
            os.close(fd)
        program._receive(None)


class LocalSandbox(Sandbox):
    """One sandbox in place: a supervisor process, a scratch folder, and a uid of its own."""

    backend = "local"

    def __init__(self, limits: Limits, reap: bool, uid: Optional[int], lock, init: Optional[list] = None,
                 on_removal=lambda box: None):
        self.student_uid = os.getuid() if uid is None else uid
        self._uid, self._lock, self._on_removal = uid, lock, on_removal
        self._folder = tempfile.mkdtemp(prefix="proclab-")
        os.chmod(self._folder, 0o711)  # the student may reach what is in it by name, not list it
        self.workdir = os.path.join(self._folder, "work")
        os.mkdir(self.workdir, 0o755)
        self.scratch = os.path.join(self._folder, "programs")
        os.mkdir(self.scratch, 0o755)
        if uid is not None:
            os.chown(self.workdir, uid, uid)
        self._env = self._environment()
        self._programs = {}  # PID -> LocalProgram, until its exit is reported
        self._early = {}  # PID -> exit status reported before `start` had registered the program
        self._answers = {}  # request id -> answer
        self._answered = threading.Condition()
        self._helpers = []  # HostProcess: observers, stopped at the end
        self._ended = False
        here, there = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        config = {"uid": uid, "gid": uid, "reap": reap, "wall_seconds": limits.wall_seconds,
                  "control": there.fileno(), "limits": {
                      "processes": limits.pids if uid is not None else 0,  # RLIMIT_NPROC counts the whole uid
                      "memory": limits.memory_bytes, "address_space": 4 * limits.memory_bytes,
                      "open_files": limits.open_files, "file_size": limits.disk_bytes,
                      "cpu_seconds": limits.wall_seconds}}
        self._supervisor = subprocess.Popen(
            [sys.executable, supervisor.__file__], pass_fds=[there.fileno()],
            env={"PYTHONPATH": LAB_ROOT, "PATH": os.environ.get("PATH", "/usr/bin:/bin")},
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, start_new_session=True)
        with self._supervisor.stdin as config_pipe:
            config_pipe.write(json.dumps(config).encode())
        there.close()
        self._control = here
        self._root = self.reaper = self.started_ppid = self._supervisor.pid
        threading.Thread(target=self._listen, daemon=True).start()
        self._shim()
        self._init = self.start(init, init=True) if init else None
        if init:
            self.reaper = self._init.pid  # a subreaper too: the init's orphans are its own

    def _environment(self) -> dict:
        """What programs see: like a container's, with `proclab` on the PATH and no lab package on
        the Python path (the student's `import` finds only the student's files)."""
        return {"PATH": f"{self.scratch}:/usr/local/bin:/usr/bin:/bin", "HOME": self.workdir,
                "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1", "TMPDIR": self.workdir}

    def _shim(self) -> None:
        """`proclab` on the student's PATH (the labs' views of the table run it), with a Python the
        student may run: this one, or — where it lies in a folder closed to others, as a venv
        under /root does — the system's, given this one's psutil and tabulate."""
        python, path = sys.executable, [LAB_ROOT]
        if self._uid is not None and not _open_to_others(sys.executable):
            python, path = "/usr/bin/env python3", [LAB_ROOT, *_site_folders()]
        self.install("proclab", f'#!/bin/sh\nPYTHONPATH={":".join(path)} exec {python} -m lab "$@"\n'.encode(),
                     mode=0o755)

    # -- talking to the supervisor -------------------------------------------------------------

    def _listen(self) -> None:
        """Answers and exit reports, until the supervisor has gone."""
        while True:
            try:
                message, _ = supervisor.receive(self._control)
            except OSError:
                message = None
            if message is None:
                break
            with self._answered:
                if "exit" not in message:
                    self._answers[message["id"]] = message
                    self._answered.notify_all()
                elif message["exit"] in self._programs:
                    self._programs.pop(message["exit"])._code = message["status"]
                else:
                    self._early[message["exit"]] = message["status"]
        with self._answered:
            self._ended = True
            self._answered.notify_all()

    def _ask(self, request: dict, fds=()) -> dict:
        request["id"] = uuid.uuid4().hex
        try:
            self._control.sendmsg([json.dumps(request).encode()],
                                  [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", fds).tobytes())]
                                  if fds else [])
        except OSError as error:
            raise ProclabError(f"the sandbox's supervisor has gone ({error.strerror})") from None
        with self._answered:
            if not self._answered.wait_for(lambda: request["id"] in self._answers or self._ended, ANSWER_TIMEOUT):
                raise ProclabError(f"the sandbox's supervisor did not answer within {ANSWER_TIMEOUT} s")
            if request["id"] not in self._answers:
                raise ProclabError("the sandbox's supervisor has gone")
            answer = self._answers.pop(request["id"])
        if "error" in answer:
            raise ProclabError(f"{request['op']} in the sandbox failed: {answer['error']}")
        return answer

    # -- the protocol --------------------------------------------------------------------------

    def start(self, argv, student: bool = True, env=None, workdir=None, sink=None,
              init: bool = False) -> Program:
        output, child_output = os.pipe()
        program = LocalProgram(output, sink)
        try:
            answer = self._ask({"op": "start", "argv": list(argv), "student": student, "init": init,
                                "cwd": workdir or self.workdir, "env": {**self._env, **(env or {})}},
                               [child_output])
        finally:
            os.close(child_output)
        program.pid = answer["pid"]
        with self._answered:
            if program.pid in self._early:
                program._code = self._early.pop(program.pid)
            else:
                self._programs[program.pid] = program
        return program

    def signal(self, pid: int, signum: int) -> None:
        self._ask({"op": "signal", "pid": pid, "signum": int(signum)})

    def install(self, name: str, data: bytes, mode: int = 0o644) -> str:
        path = os.path.join(self.scratch, name)
        with open(path, "wb") as f:
            f.write(data)
        os.chmod(path, mode)
        return path

    def unpack(self, archive: bytes) -> None:
        """Extracted by root as the archive says (the student owns every member); the archive is
        ours, built from bytes, so it holds only regular files and folders under the workdir."""
        trusted = {"filter": "fully_trusted"} if hasattr(tarfile, "fully_trusted_filter") else {}  # 3.12 asks
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(self.workdir, numeric_owner=True, **trusted)

    def read_file(self, path: str, cap: int) -> Optional[str]:
        """Read as the student, by a program of theirs: a link they left to a file of root's
        is not followed with root's rights."""
        code, text = self.run(["head", "-c", str(cap), path], timeout=10)
        return text if code == 0 else None

    def observe(self, interval: float, sink, everything: bool = False) -> Program:
        argv = [sys.executable, procfs.__file__, str(interval), "--counters", "0"]
        if self._uid is not None:
            argv += ["--fsuid", str(self._uid)]
        if not everything:
            argv += ["--under", str(self._root)]
        else:  # the grader's own processes are busy while the program runs: they are not what it lists
            argv += ["--hide", f"{os.getpid()},{self._root}"]
        helper = HostProcess(argv, sink)
        self._helpers.append(helper)
        return helper

    def init(self) -> Program:
        return self._init

    def alive(self) -> bool:
        return self._supervisor.poll() is None

    def verdicts(self) -> dict:
        try:
            return self._ask({"op": "counters"})["counters"]
        except ProclabError:
            return {}

    def remove(self) -> None:
        """End the supervisor (it kills and reaps everything of the sandbox), then tidy the host."""
        if self._control.fileno() < 0:
            return  # removed already
        try:
            self._ask({"op": "end"})
        except ProclabError:
            self._supervisor.kill()  # it would not answer: what it left, the sweep below removes
        self._supervisor.wait()
        self._control.close()
        for helper in self._helpers:
            helper.stop()
        if self._uid is not None:
            _kill_uid(self._uid)
            for folder in dict.fromkeys(SHARED_FOLDERS):
                _remove_files_of(self._uid, folder)
        shutil.rmtree(self._folder, ignore_errors=True)
        if self._lock is not None:
            os.unlink(self._lock.name)  # uids are drawn at random: the next sandbox draws another
            self._lock.close()
        self._on_removal(self)


class LocalEngine(Engine):
    """Sandboxes in place. It removes every sandbox it started when it closes.

    Sandboxes share the machine's PID space; one that must be `alone` (an exercise that counts
    the PIDs its program was given) waits until the others have been removed, and holds the
    next ones back until it is removed itself.
    """

    name = "local"

    def __init__(self, run_id: Optional[str] = None):
        self.run_id = run_id or uuid.uuid4().hex[:12]
        self._sandboxes = []  # [(LocalSandbox, alone)]
        self._changed = threading.Condition()

    def sandbox(self, purpose: str, reaper: bool = True, limits: Limits = Limits(), init=None,
                alone: bool = False) -> LocalSandbox:
        with self._changed:
            self._changed.wait_for(lambda: not any(a for _, a in self._sandboxes) and not (alone and self._sandboxes))
            uid, lock = _take_uid() if os.geteuid() == 0 else (None, None)
            box = LocalSandbox(limits, reaper, uid, lock, init, on_removal=self._removed)
            self._sandboxes.append((box, alone))
        return box

    def _removed(self, box: LocalSandbox) -> None:
        with self._changed:
            self._sandboxes = [(b, a) for b, a in self._sandboxes if b is not box]
            self._changed.notify_all()

    def close(self) -> None:
        with self._changed:
            boxes = [box for box, _ in self._sandboxes]
        for box in boxes:
            box.remove()


def student_uids(uid_map: str = "/proc/self/uid_map") -> range:
    """The uids a sandbox may take: from `FIRST_UID` to the end of the uids this user namespace maps.

    Picked at random (see `_take_uid`): the kernel counts processes per uid across containers
    (RLIMIT_NPROC), and a grader on the host sees every container's processes, so two graders
    on one machine must not share a uid. A rootless container maps only 65,536 uids.
    """
    with open(uid_map) as f:
        top = max(int(inside) + int(count) for inside, _, count in (line.split() for line in f))
    return range(FIRST_UID, min(top, 1 << 31))


def _open_to_others(path: str) -> bool:
    """Whether any user may run the file: it, and every folder on the way to it, executable by others."""
    path = os.path.realpath(path)
    folders = [os.path.dirname(path)]
    while folders[-1] != os.path.dirname(folders[-1]):
        folders.append(os.path.dirname(folders[-1]))
    return all(os.stat(p).st_mode & 0o001 for p in (path, *folders))


def _site_folders() -> list:
    """The folders this Python imports psutil and tabulate from (a package's parent, a module's folder)."""
    import psutil
    import tabulate

    files = (Path(module.__file__).resolve() for module in (psutil, tabulate))
    return sorted({str(f.parents[1] if f.name == "__init__.py" else f.parent) for f in files})


def _take_uid() -> tuple:
    """A uid that no process uses and no other sandbox holds: (uid, its lock, held open)."""
    LOCKS.mkdir(mode=0o700, exist_ok=True)
    busy = {supervisor._owner(pid) for pid in supervisor._pids()}
    uids = student_uids()
    for uid in random.sample(uids, min(len(uids), 64)):
        if uid in busy:
            continue
        lock = open(LOCKS / str(uid), "w")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return uid, lock
        except BlockingIOError:
            lock.close()
    raise ProclabError(f"no free uid from {uids.start} to {uids.stop - 1}: too many sandboxes at once")


def _kill_uid(uid: int) -> None:
    """The last word: anything of the student's uid still running (the supervisor does it first)."""
    for pid in supervisor._pids():
        if supervisor._owner(pid) == uid:
            supervisor._kill(pid)


def _remove_files_of(uid: int, folder: str) -> None:
    """What the student left at the top of a shared folder (the files and folders it owns)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return  # no such folder here
    for entry in entries:
        try:
            if entry.stat(follow_symlinks=False).st_uid != uid:
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                os.unlink(entry.path)
        except OSError:
            continue
