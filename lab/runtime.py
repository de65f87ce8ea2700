"""Containers for labs and graders: the one place that talks to the Docker engine.

Every container proclab starts

* carries the label ``proclab`` (and ``proclab.run`` naming the run that started it), so that
  ``proclab clean`` and a run's own exit path can find it even if its id was never returned;
* is locked down: pids, memory (no swap) and CPU limits, no network, no capabilities but
  SYS_PTRACE for our own root observer, ``no-new-privileges``, a read-only root with a
  size-limited tmpfs at /tmp;
* dies by itself at a wall-clock deadline: its main process is ``sleep <deadline>``, so even a
  harness that is SIGKILLed leaves nothing running for long (and ``proclab clean`` removes it);
* is removed when the `Runtime` that started it exits, normally, by exception, Ctrl-C or SIGTERM.
"""

import base64
import os
import posixpath
import signal
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Optional

import docker
import docker.errors
import docker.types
import requests.exceptions

from lab.errors import ProclabError

IMAGE = "proclab:latest"
LABEL = "proclab"
RUN_LABEL = "proclab.run"
STUDENT = "1000"  # the unprivileged user student code runs as
ROOT = "0"  # root without capabilities: it cannot signal the student's processes, nor they it
SCRATCH = "/tmp/proclab"  # where programs are copied to, inside the tmpfs
ARGUMENT_BYTES = 96 * 1024  # bytes per piece of an archive: base64 of it fits one argument (128 KiB)
_APPEND = "import base64,sys;open(sys.argv[1],'ab').write(base64.b64decode(sys.argv[2]))"
_EXTRACT = "import os,sys,tarfile;tarfile.open(sys.argv[1]).extractall(sys.argv[2]);os.remove(sys.argv[1])"


@dataclass(frozen=True)
class Limits:
    """What one container may use. The defaults suit every lab; graders pass their own."""

    pids: int = 128
    memory: str = "256m"
    cpus: float = 1.0
    wall_seconds: int = 600
    tmpfs: str = "64m"
    open_files: int = 1024


def connect() -> docker.DockerClient:
    """A client for the engine in the environment, or a one-line ProclabError saying why not."""
    host = os.environ.get("DOCKER_HOST")
    try:
        client = docker.from_env(timeout=30)
        client.ping()
    except (docker.errors.DockerException, requests.exceptions.RequestException) as error:
        where = host or "unix:///var/run/docker.sock"
        raise ProclabError(
            f"cannot reach the Docker engine at {where}: is Docker running? "
            f"(DOCKER_HOST={host or 'unset'})"
        ) from error
    return client


class Exec:
    """A process started inside a container with ``docker exec``, its output read as it comes.

    Output is kept up to `output_cap` bytes, so a program that prints without end cannot
    exhaust the host's memory.
    """

    def __init__(self, api, exec_id: str, output_cap: int = 1 << 20, sink=None):
        self._api = api
        self.id = exec_id
        self._cap = output_cap
        self._chunks = []
        self._size = 0
        self.truncated = False
        self._sink = sink or self._keep
        stream = api.exec_start(exec_id, stream=True)
        self._reader = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._reader.start()

    def _read(self, stream) -> None:
        try:
            for chunk in stream:
                self._sink(chunk)
        except (requests.exceptions.RequestException, OSError, ValueError):
            pass  # the container went away: what was read is all there is
        self._sink(None)

    def _keep(self, chunk: Optional[bytes]) -> None:
        """The default sink: keep output up to the cap, drop the rest (and say so)."""
        if chunk is None:
            return
        room = self._cap - self._size
        if len(chunk) > room:
            self.truncated = True
        if room > 0:
            self._chunks.append(chunk[:room])
            self._size += min(len(chunk), room)

    def output_closed(self, timeout: float) -> bool:
        """Wait until every holder of the process's stdout has closed it."""
        self._reader.join(timeout)
        return not self._reader.is_alive()

    @property
    def output(self) -> str:
        return b"".join(self._chunks).decode("utf-8", "replace")

    def exit_code(self) -> Optional[int]:
        """The exit status, or None while the process runs."""
        state = self._api.exec_inspect(self.id)
        return None if state["Running"] else state["ExitCode"]

    def wait(self, timeout: float) -> Optional[int]:
        """The exit status once the process has ended, or None if it still runs at `timeout`."""
        deadline = time.monotonic() + timeout
        while (code := self.exit_code()) is None and time.monotonic() < deadline:
            self._reader.join(0.02)  # poll period; returns early once the output is closed
        return code


class Sandbox:
    """One running lab container."""

    def __init__(self, container):
        self.container = container
        self._api = container.client.api

    @property
    def id(self) -> str:
        return self.container.id

    def start(self, argv, user: str = STUDENT, sink=None, env=None, workdir: str = "/tmp") -> Exec:
        """Start `argv` in the container without waiting for it.

        Its output is kept by the returned Exec, or passed chunk by chunk to `sink` (then
        `sink(None)` when it ends).
        """
        exec_id = self._api.exec_create(
            self.id, list(argv), user=user, workdir=workdir, environment=env
        )["Id"]
        return Exec(self._api, exec_id, sink=sink)

    def run(self, argv, user: str = STUDENT, timeout: float = 30) -> tuple:
        """Run `argv` to completion: (exit status, output). A hang past `timeout` is an error."""
        process = self.start(argv, user=user)
        code = process.wait(timeout)
        if code is None:
            raise ProclabError(f"{' '.join(argv)!r} did not finish within {timeout:g} s")
        process.output_closed(timeout)
        return code, process.output

    def write(self, path: str, data: bytes) -> None:
        """Create the file `path` (under /tmp) with `data`, readable by everyone.

        The bytes travel as an argument to a tiny writer run as root: no archive to build, and
        nothing but the one file can be written. (A lab program is a few kilobytes; an argument
        may hold 128 KiB.)
        """
        writer = (
            "import base64,os,sys;os.makedirs(os.path.dirname(sys.argv[1]),exist_ok=True);"
            "open(sys.argv[1],'wb').write(base64.b64decode(sys.argv[2]))"
        )
        payload = base64.b64encode(data).decode()
        code, output = self.run(["python3", "-c", writer, path, payload], user=ROOT)
        if code != 0:
            raise ProclabError(f"could not copy {posixpath.basename(path)} into the container: {output.strip()}")

    def unpack(self, archive: bytes, directory: str = "/tmp", user: str = STUDENT) -> None:
        """Extract a tar archive (built by the caller, in memory) into `directory`, as `user`.

        The engine cannot copy into a container whose root is read-only (even into its tmpfs),
        so the archive travels as arguments, in pieces, and is extracted inside. Nothing of the
        host is bind-mounted: the archive's members are all that can arrive.
        """
        staging = f"{directory}/.proclab-{uuid.uuid4().hex[:8]}.tar"
        for offset in range(0, max(len(archive), 1), ARGUMENT_BYTES):
            piece = base64.b64encode(archive[offset:offset + ARGUMENT_BYTES]).decode()
            self._expect(["python3", "-c", _APPEND, staging, piece], user, "copy files into the container")
        self._expect(["python3", "-c", _EXTRACT, staging, directory], user, "unpack files in the container")

    def _expect(self, argv, user: str, what: str) -> None:
        code, output = self.run(argv, user=user)
        if code != 0:
            raise ProclabError(f"could not {what}: {output.strip()[-200:]}")

    def remove(self) -> None:
        """Remove the container now, with everything running in it."""
        _force_remove(self.container)

    def install(self, name: str, source_path: str) -> str:
        """Copy a program from the host into the container's scratch space; return its path there."""
        with open(source_path, "rb") as f:
            target = f"{SCRATCH}/{name}"
            self.write(target, f.read())
        return target


class Runtime:
    """A connection to the engine that owns the containers it starts.

    Use it as a context manager: on leaving, every container it started is removed, found by its
    run label, so even one whose creation was interrupted half-way is not leaked.
    """

    def __init__(self, client: Optional[docker.DockerClient] = None, image: str = IMAGE,
                 run_id: Optional[str] = None):
        self.client = client or connect()
        self.image = image
        # PROCLAB_RUN_ID lets whoever started this process find its containers (the tests do);
        # `run_id` lets several Runtimes (one per thread of a batch) share one label.
        self.run_id = run_id or os.environ.get("PROCLAB_RUN_ID") or uuid.uuid4().hex[:12]

    def __enter__(self) -> "Runtime":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def sandbox(self, purpose: str, init: bool = True, limits: Limits = Limits(),
                command=None, user: str = ROOT) -> Sandbox:
        """Start a locked-down container. `init` chooses PID 1: Docker's tini, or no reaper at all.

        Without init, PID 1 is the deadline's ``sleep``: a program that never waits for anyone,
        so orphans that die under it stay zombies, as under a careless init. A `command` (run as
        `user`) replaces that ``sleep``: then the deadline is the caller's to enforce, and the
        label ``proclab.expires`` tells a later sweep (`sweep_expired`) when it has passed.
        """
        container = self.client.containers.run(
            self.image,
            list(command or ["sleep", str(limits.wall_seconds)]),
            user=user,
            detach=True,
            init=init,
            labels={LABEL: "1", RUN_LABEL: self.run_id, "proclab.purpose": purpose,
                    "proclab.expires": str(int(time.time() + limits.wall_seconds))},
            hostname="proclab",
            network_mode="none",
            cap_drop=["ALL"],
            # Only root processes of ours (the observer) can use it: student code runs as uid
            # 1000 with no-new-privileges, so it never gains capabilities. The observer needs it
            # to read a zombie's exit status from /proc/<pid>/stat, which the kernel shows only
            # to processes allowed to ptrace it.
            cap_add=["SYS_PTRACE"],
            security_opt=["no-new-privileges"],
            read_only=True,
            tmpfs={"/tmp": f"size={limits.tmpfs},mode=1777"},
            pids_limit=limits.pids,
            ulimits=[docker.types.Ulimit(name="nofile", soft=limits.open_files, hard=limits.open_files)],
            # e.g. PROCLAB_OCI_RUNTIME=runsc (gVisor) where installed: a kernel of its own per container
            runtime=os.environ.get("PROCLAB_OCI_RUNTIME") or None,
            mem_limit=limits.memory,
            memswap_limit=limits.memory,
            nano_cpus=int(limits.cpus * 1e9),
            log_config={"type": "json-file", "config": {"max-size": "1m"}},
        )
        return Sandbox(container)

    def close(self) -> None:
        """Remove this run's containers. Ctrl-C during the removal cannot cut it short."""
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if _main_thread() else None
        try:
            remove_containers(self.client, f"{RUN_LABEL}={self.run_id}")
        finally:
            if previous is not None:
                signal.signal(signal.SIGINT, previous)


def remove_containers(client: docker.DockerClient, label: str = LABEL) -> int:
    """Force-remove every container carrying `label`; return how many there were."""
    # sparse: no inspect of each one, which would fail for a container removed meanwhile
    containers = client.containers.list(all=True, filters={"label": label}, sparse=True)
    for container in containers:
        _force_remove(container)
    return len(containers)


def sweep_expired(client: docker.DockerClient) -> int:
    """Remove labelled containers whose deadline has passed: what a killed run left behind.

    Unlike `remove_containers`, it spares containers another run is still using.
    """
    now = time.time()
    expired = [c for c in client.containers.list(all=True, filters={"label": LABEL}, sparse=True)
               if float(c.attrs.get("Labels", {}).get("proclab.expires") or 0) < now]
    for container in expired:
        _force_remove(container)
    return len(expired)


def _force_remove(container) -> None:
    try:
        container.remove(force=True)
    except docker.errors.NotFound:
        pass  # already gone: removal raced with the container's own end
    except docker.errors.APIError as error:
        if error.status_code != 409:  # 409: another cleanup is removing it already
            raise


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()
