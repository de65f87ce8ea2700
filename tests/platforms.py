"""A container shaped like a course platform's autograder, for tests that grade the way a
platform does (tests/test_in_place.py, tests/test_export_*.py).

* "gradescope": root, Docker's default capabilities, no engine socket, the network on (the
  host's: CI's engine may have no bridge to give a container), 768 MiB, one CPU, 512 PIDs;
* "prairielearn": the same with the network off.

The containers carry the label `proclab` (and a deadline label, so that a batch's start-up sweep
spares them): `proclab clean` run elsewhere in the suite removes them too, and a test then says so.
"""

import time
import uuid
from pathlib import Path

import docker

from lab.backends import docker as docker_backend
from tests.support import poll

STUDENT_UIDS = 64000  # lab.backends.local gives students uids from here up
WRITABLE = ("/tmp", "/var/tmp", "/dev/shm", "/dev/mqueue", "/run/lock")  # the image's world-writable folders
# A platform's container has its CPU to itself. Here it shares two cores with the rest of the
# suite's containers, each weighing 1024 (cpu.shares) when the CPU is contended: a Docker grading
# has a container of its own for the student and the observer, its grader outside, and a batch
# one container per job. Twice the default weight stands in for that; the cap stays one CPU.
CPU_WEIGHT = 2048
DEADLINE = 1200  # seconds: the platform container's main process is `sleep DEADLINE`
PLATFORMS = {
    "gradescope": {"network_mode": "host"},  # network on; "host" because the engine may have no bridge
    "prairielearn": {"network_mode": "none"},
}


class Platform:
    """A platform-like container and its writable folder (`folder` here, /work inside)."""

    def __init__(self, container, folder: Path, kind: str):
        self.container, self.folder, self.kind = container, folder, kind
        self._commands = 0

    def run(self, argv, timeout: float, env=None) -> tuple:
        """Run `argv` in /work as root, as the platform would: (exit status, stdout, stderr).

        Started detached, its output and status written to files of /work, which are polled
        from here: no HTTP read timeout can cut a long batch short."""
        self._commands += 1
        stem = f".cmd/{self._commands}"
        (self.folder / ".cmd").mkdir(exist_ok=True)
        script = f'"$@" >{stem}.out 2>{stem}.err; echo $? >{stem}.rc.tmp && mv {stem}.rc.tmp {stem}.rc'
        self.container.exec_run(["sh", "-c", script, "sh", *argv], workdir="/work", user="0", detach=True,
                                environment=env or {})
        rc = self.folder / f"{stem}.rc"
        checked = [time.monotonic()]

        def done():
            if rc.exists():
                return True
            if time.monotonic() - checked[0] > 2:  # now and then: is the container still there?
                checked[0] = time.monotonic()
                try:
                    self.container.reload()
                except docker.errors.NotFound:
                    raise AssertionError(f"the {self.kind} container was removed from outside the test (by "
                                         "`proclab clean`, or a sweep of containers labelled proclab?)") from None
                assert self.container.status == "running", f"the {self.kind} container stopped: {self.container.status}"
            return False

        try:
            poll(done, timeout, f"`{' '.join(argv)}` in the {self.kind} container to finish")
        except AssertionError as error:
            raise AssertionError(f"{error}\nstderr so far:\n{self._tail(stem + '.err')}") from None
        return int(rc.read_text()), self._read(stem + ".out"), self._read(stem + ".err")

    def grade(self, exercise: str, submission: str, timeout: float, env=None, *options) -> tuple:
        """`proclab grade ... --backend local` of the checkout mounted at /src."""
        return self.run(["python3", "-m", "lab", "grade", exercise, submission, "--backend", "local", *options],
                        timeout, {"PYTHONPATH": "/src", **(env or {})})

    def students_left(self) -> list:
        """`ps` rows of every process of a student's uid still in the container (zombies too)."""
        code, output = self.container.exec_run(["ps", "-eo", "uid=,pid=,ppid=,stat=,args="], user="0")
        assert code == 0, output
        return [row for row in output.decode(errors="replace").splitlines()
                if row.split() and int(row.split()[0]) >= STUDENT_UIDS]

    def files_left(self) -> list:
        """Files owned by a student's uid, and sandbox folders. A student can only create files in
        the image's world-writable folders (WRITABLE) or below them (its working directory is in
        /tmp): searching those is enough, and much cheaper than all of / on a FUSE overlay."""
        code, output = self.container.exec_run(
            ["sh", "-c", f"find {' '.join(WRITABLE)} /work -uid +{STUDENT_UIDS - 1} -print 2>/dev/null; "
                         "ls -d /tmp/proclab-* 2>/dev/null; true"], user="0")
        return output.decode(errors="replace").split()

    def _read(self, name: str) -> str:
        return (self.folder / name).read_text(errors="replace")

    def _tail(self, name: str) -> str:
        try:
            return self._read(name)[-3000:]
        except OSError:
            return "(none)"



class Platforms:
    """start(kind, volumes) -> a Platform; `remove()` removes every container it started."""

    def __init__(self, client, tmp_path: Path, purpose: str):
        self.client, self.tmp_path, self.purpose = client, tmp_path, purpose
        self.run_id = f"{purpose}-{uuid.uuid4().hex[:10]}"
        self.started = []

    def start(self, kind: str, volumes: dict, image: str = docker_backend.IMAGE, command=None) -> Platform:
        """A `kind` container from `image` with `volumes` (host path -> (path inside, mode)) and
        a writable folder of its own at /work, running `command` (by default: sleep DEADLINE)."""
        folder = self.tmp_path / kind
        folder.mkdir(exist_ok=True)
        mounts = {str(host): {"bind": inside, "mode": mode} for host, (inside, mode) in volumes.items()}
        mounts[str(folder)] = {"bind": "/work", "mode": "rw"}
        container = self.client.containers.run(
            image, command or ["sleep", str(DEADLINE)], detach=True, user="0",
            labels={docker_backend.LABEL: "1", docker_backend.RUN_LABEL: self.run_id,
                    "proclab.purpose": f"test:{self.purpose}:{kind}",
                    # a deadline of its own, or another test's batch start-up sweep takes it for expired
                    "proclab.expires": str(int(time.time() + DEADLINE))},
            volumes=mounts, working_dir="/work", mem_limit="768m", memswap_limit="768m", nano_cpus=int(1e9),
            pids_limit=512, cpu_shares=CPU_WEIGHT, log_config={"type": "json-file", "config": {"max-size": "1m"}},
            **PLATFORMS[kind])
        self.started.append(container)
        return Platform(container, folder, kind)

    def remove(self) -> None:
        for container in self.started:
            try:
                container.remove(force=True)
            except docker.errors.NotFound:
                pass
