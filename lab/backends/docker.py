"""The Docker backend: every sandbox is a locked-down container. The one place that talks to Docker.

Every container proclab starts

* carries the label ``proclab`` (and ``proclab.run`` naming the run that started it), so that
  ``proclab clean`` and a run's own exit path can find it even if its id was never returned;
* is locked down: pids, memory (no swap) and CPU limits, no network, no capabilities but
  SYS_PTRACE for our own root observer, ``no-new-privileges``, a read-only root with
  size-limited tmpfs mounts at /tmp and at the student's working directory;
* dies by itself at a wall-clock deadline: its main process is ``sleep <deadline>``, so even a
  harness that is SIGKILLed leaves nothing running for long (and ``proclab clean`` removes it);
* is removed when the `DockerEngine` that started it closes, normally, by exception, Ctrl-C or SIGTERM.
"""

import base64
import errno
import hashlib
import inspect
import json
import math
import os
import signal
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import docker
import docker.errors
import docker.types
import requests.exceptions

from lab import procfs
from lab.backends import docker_image
from lab.errors import ProclabError
from lab.sandbox import Engine, Limits, Program, Sandbox

IMAGE = docker_image.IMAGE
DEFAULT_HOST = "unix:///var/run/docker.sock"  # the docker CLI's "default" context on Linux
LABEL = "proclab"
RUN_LABEL = "proclab.run"
STUDENT = "1000"  # the unprivileged user student code runs as
ROOT = "0"  # root without capabilities: it cannot signal the student's processes, nor they it
SCRATCH = "/tmp/proclab"  # where programs are copied to, inside the tmpfs
WORKDIR = "/tmp/work"  # the student's working directory: a tmpfs of its own, owned by the student
ARGUMENT_BYTES = 96 * 1024  # bytes per piece of an archive: base64 of it fits one argument (128 KiB)
_APPEND = "import base64,sys;open(sys.argv[1],'ab').write(base64.b64decode(sys.argv[2]))"
_EXTRACT = "import os,sys,tarfile;tarfile.open(sys.argv[1]).extractall(sys.argv[2]);os.remove(sys.argv[1])"
_WRITE = ("import base64,os,sys;os.makedirs(os.path.dirname(sys.argv[1]),exist_ok=True);"
          "open(sys.argv[1],'wb').write(base64.b64decode(sys.argv[2]))")
# Read once, at import: the observer sent into containers always matches the parser on the host,
# even if the file on disk changes while a long batch runs.
OBSERVER_SOURCE = inspect.getsource(procfs).encode()


def connect(purpose: str = "lab", run_id: Optional[str] = None, image: bool = True) -> "DockerEngine":
    """An engine for the Docker daemon in the environment, with the lab image present (built once
    if missing), or a one-line ProclabError saying why not. `purpose` does not matter here: every
    container is locked down alike."""
    engine = DockerEngine(_client(), run_id=run_id)
    if image:
        docker_image.ensure(engine.client)
    return engine


@dataclass(frozen=True)
class Endpoint:
    """Where the engine should answer, and how we learned it: every error about it names both."""

    host: str
    source: str
    from_docker_host: bool = False  # then DOCKER_TLS_VERIFY and DOCKER_CERT_PATH apply too, as for the CLI


def find_endpoint(environ=os.environ) -> Endpoint:
    """The engine the docker CLI would talk to: DOCKER_HOST, else the current context's endpoint
    (Docker Desktop on macOS, Colima, OrbStack and rootless Docker are found only through it).

    Resolved here rather than by docker-py's `docker.context.ContextAPI` (which `docker.from_env`
    consults since 7.2) because that one, unlike the CLI, silently falls back to the default
    socket when the named context does not exist, and looks for contexts beside whichever
    config.json it found (the current directory when there is none) instead of in
    $DOCKER_CONFIG: a student would be told Docker is not running at a socket they never chose.
    """
    host = environ.get("DOCKER_HOST")
    if host:
        return Endpoint(host, f"DOCKER_HOST={host}", from_docker_host=True)
    name, named_in = _current_context(environ)
    if name == "default":
        return Endpoint(DEFAULT_HOST, "DOCKER_HOST unset, the default docker context")
    return _context_endpoint(name, named_in, _config_dir(environ))


def _config_dir(environ) -> Path:
    return Path(environ.get("DOCKER_CONFIG") or Path.home() / ".docker")


def _current_context(environ) -> tuple:
    """The current context's name and where it was named: DOCKER_CONTEXT, else the CLI's config file."""
    if environ.get("DOCKER_CONTEXT"):
        return environ["DOCKER_CONTEXT"], "DOCKER_CONTEXT"
    config = _config_dir(environ) / "config.json"
    try:
        name = json.loads(config.read_text(encoding="utf-8")).get("currentContext")
    except FileNotFoundError:
        return "default", None
    except (OSError, ValueError, AttributeError) as error:
        raise ProclabError(f"cannot read the docker CLI's settings in {config}: {error}") from None
    return (name, str(config)) if name else ("default", None)


def _context_endpoint(name: str, named_in: str, config_dir: Path) -> Endpoint:
    """The CLI keeps a context's endpoint in a folder named by the sha256 of the context's name."""
    meta = config_dir / "contexts" / "meta" / hashlib.sha256(name.encode()).hexdigest() / "meta.json"
    try:
        endpoint = json.loads(meta.read_text(encoding="utf-8"))["Endpoints"]["docker"]
    except FileNotFoundError:
        raise ProclabError(f"the docker context {name} named in {named_in} does not exist (no {meta}); "
                           "`docker context ls` lists those that do") from None
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ProclabError(f"the docker context {name} has no docker endpoint in {meta}: {error!r}") from None
    return Endpoint(endpoint.get("Host") or DEFAULT_HOST, f"docker context {name}, from {meta}")


def _client() -> docker.DockerClient:
    endpoint = find_endpoint()
    try:
        client = _open(endpoint)
        client.ping()
    except (docker.errors.DockerException, requests.exceptions.RequestException) as error:
        raise ProclabError(unreachable(endpoint, error)) from error
    return client


def _open(endpoint: Endpoint) -> docker.DockerClient:
    if endpoint.from_docker_host:  # `from_env` reads the TLS settings that go with DOCKER_HOST
        return docker.from_env(timeout=30)
    return docker.DockerClient(base_url=endpoint.host, timeout=30)


def unreachable(endpoint: Endpoint, error: BaseException) -> str:
    """Why the engine did not answer, as one line saying what to do: a socket we may not open
    (not in the docker group) is fixed differently from an engine that is not running."""
    if _root_errno(error) in (errno.EACCES, errno.EPERM):
        return (f"permission denied on the Docker socket {endpoint.host} ({endpoint.source}): "
                "add yourself to the docker group (then log in again), or run with sudo")
    return (f"cannot reach the Docker engine at {endpoint.host}: is Docker running? "
            f"({endpoint.source}; without Docker: --backend local)")


def _root_errno(error: Optional[BaseException]) -> Optional[int]:
    """The errno of the OSError under `error`: docker-py raises a DockerException caused by
    requests' ConnectionError, caused by urllib3's ProtocolError, caused by the socket's OSError."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, OSError) and error.errno:
            return error.errno
        error = error.__cause__ or error.__context__
    return None


class DockerExec(Program):
    """A process started inside a container with ``docker exec``, its output read as it comes."""

    def __init__(self, api, exec_id: str, sink=None):
        super().__init__(sink)
        self._api = api
        self.id = exec_id
        stream = api.exec_start(exec_id, stream=True)
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream) -> None:
        try:
            for chunk in stream:
                self._receive(chunk)
        except (requests.exceptions.RequestException, OSError, ValueError):
            pass  # the container went away: what was read is all there is
        self._receive(None)

    def exit_code(self) -> Optional[int]:
        state = self._api.exec_inspect(self.id)
        return None if state["Running"] else state["ExitCode"]


class ContainerMain(Program):
    """The container's own main process (an init exercise's submission): its exit status is the
    container's, its output the container's log."""

    def __init__(self, container):
        super().__init__()
        self._container = container

    def exit_code(self) -> Optional[int]:
        state = _state(self._container)
        return None if state.get("Status") in ("running", "created") else state.get("ExitCode")

    def wait(self, timeout: float) -> Optional[int]:
        try:
            return self._container.wait(timeout=max(timeout, 0.1))["StatusCode"]
        except (requests.exceptions.ReadTimeout, requests.exceptions.ConnectionError):
            return None  # only an HTTP timeout: the caller removes the container

    def output_closed(self, timeout: float) -> bool:
        """The log, read once the container has ended (its last 2,000 lines)."""
        if not self._closed.is_set():
            try:
                self._receive(self._container.logs(stdout=True, stderr=True, tail=2000))
            except docker.errors.APIError:
                pass  # the container is gone: no output to be had
            self._receive(None)
        return True


def _state(container) -> dict:
    """The engine's view of the container now (Status, ExitCode, OOMKilled); empty once it is gone."""
    try:
        container.reload()
    except docker.errors.NotFound:
        return {}
    return container.attrs.get("State", {})


class DockerSandbox(Sandbox):
    """One running container."""

    backend = "docker"
    reaper = 1
    started_ppid = 0  # `docker exec` starts processes from outside the container's PID namespace
    student_uid = int(STUDENT)
    scratch = SCRATCH
    workdir = WORKDIR

    def __init__(self, container):
        self.container = container
        self._api = container.client.api

    @property
    def id(self) -> str:
        return self.container.id

    def start(self, argv, student: bool = True, env=None, workdir=None, sink=None) -> Program:
        exec_id = self._api.exec_create(self.id, list(argv), user=STUDENT if student else ROOT,
                                        workdir=workdir or self.workdir, environment=env)["Id"]
        return DockerExec(self._api, exec_id, sink=sink)

    def signal(self, pid: int, signum: int) -> None:
        """To PID 1, as the engine sends it (a signal from outside the container reaches PID 1 only
        if it has a handler); to any other process, with `kill` run as the student: root in the
        container has no capability to signal another uid."""
        if pid == self.reaper:
            try:
                self.container.kill(signal.Signals(signum).name)
            except docker.errors.APIError as error:  # the container has ended
                raise ProclabError(f"could not signal PID 1: {error.explanation or error}") from None
        else:
            self._expect(["kill", f"-{int(signum)}", str(pid)], True, f"send signal {int(signum)} to PID {pid}")

    def install(self, name: str, data: bytes) -> str:
        """The bytes travel as an argument to a tiny writer run as root: no archive to build, and
        nothing but the one file can be written. (A program is a few kilobytes; an argument may
        hold 128 KiB.)"""
        path = f"{SCRATCH}/{name}"
        self._expect(["python3", "-c", _WRITE, path, base64.b64encode(data).decode()], False,
                     f"copy {name} into the container")
        return path

    def unpack(self, archive: bytes) -> None:
        """The engine cannot copy into a container whose root is read-only (even into its tmpfs),
        so the archive travels as arguments, in pieces, and is extracted inside, as the student.
        Nothing of the host is bind-mounted: the archive's members are all that can arrive."""
        staging = f"{SCRATCH}-{uuid.uuid4().hex[:8]}.tar"
        for offset in range(0, max(len(archive), 1), ARGUMENT_BYTES):
            piece = base64.b64encode(archive[offset:offset + ARGUMENT_BYTES]).decode()
            self._expect(["python3", "-c", _APPEND, staging, piece], True, "copy files into the container")
        self._expect(["python3", "-c", _EXTRACT, staging, self.workdir], True, "unpack files in the container")

    def read_file(self, path: str, cap: int) -> Optional[str]:
        code, text = self.run(["head", "-c", str(cap), path], timeout=10)
        return text if code == 0 else None

    def observe(self, interval: float, sink, everything: bool = False) -> Program:
        """The observer runs inside, as root: it sees the container's whole /proc, and the cgroup's counters."""
        path = self.install("observer.py", OBSERVER_SOURCE)
        return self.start(["python3", path, str(interval)], student=False, sink=sink)

    def init(self) -> Program:
        return ContainerMain(self.container)

    def alive(self) -> bool:
        return _state(self.container).get("Status") == "running"

    def verdicts(self) -> dict:
        return {"engine_oom_killed": bool(_state(self.container).get("OOMKilled"))}

    def remove(self) -> None:
        _force_remove(self.container)

    def _expect(self, argv, student: bool, what: str) -> None:
        code, output = self.run(argv, student=student)
        if code != 0:
            raise ProclabError(f"could not {what}: {output.strip()[-200:]}")


class DockerEngine(Engine):
    """A connection to the Docker daemon that owns the containers it starts (found by their run label)."""

    name = "docker"
    faults = (docker.errors.DockerException, requests.exceptions.RequestException)

    def __init__(self, client: docker.DockerClient, image: str = IMAGE, run_id: Optional[str] = None):
        self.client = client
        self.image = image
        # PROCLAB_RUN_ID lets whoever started this process find its containers (the tests do);
        # `run_id` lets several engines (one per thread of a batch) share one label.
        self.run_id = run_id or os.environ.get("PROCLAB_RUN_ID") or uuid.uuid4().hex[:12]

    def sandbox(self, purpose: str, reaper: bool = True, limits: Limits = Limits(), init=None,
                alone: bool = False) -> DockerSandbox:
        """PID 1 is Docker's tini (`reaper`), or the deadline's ``sleep``, a program that never waits
        for anyone, so that orphans that die under it stay zombies, as under a careless init. An
        `init` replaces both, run as the student: then the deadline is the caller's to enforce, and
        the label ``proclab.expires`` tells a later sweep (`sweep`) when it has passed. Every
        container has a PID namespace of its own, so it is always `alone` in that sense."""
        container = self.client.containers.run(
            self.image,
            list(init or ["sleep", str(limits.wall_seconds)]),
            user=STUDENT if init else ROOT,
            detach=True,
            init=reaper and not init,
            labels={LABEL: "1", RUN_LABEL: self.run_id, "proclab.purpose": purpose,
                    "proclab.expires": str(math.ceil(time.time() + limits.wall_seconds))},
            hostname="proclab",
            working_dir=WORKDIR,
            network_mode="none",
            cap_drop=["ALL"],
            # Only root processes of ours (the observer) can use it: student code runs as uid
            # 1000 with no-new-privileges, so it never gains capabilities. The observer needs it
            # to read a zombie's exit status from /proc/<pid>/stat, which the kernel shows only
            # to processes allowed to ptrace it.
            cap_add=["SYS_PTRACE"],
            security_opt=["no-new-privileges"],
            read_only=True,
            tmpfs={"/tmp": f"size={limits.tmpfs},mode=1777",
                   WORKDIR: f"size={limits.tmpfs},mode=0755,uid={STUDENT},gid={STUDENT}"},
            pids_limit=limits.pids,
            ulimits=[docker.types.Ulimit(name="nofile", soft=limits.open_files, hard=limits.open_files)],
            # e.g. PROCLAB_OCI_RUNTIME=runsc (gVisor) where installed: a kernel of its own per container
            runtime=os.environ.get("PROCLAB_OCI_RUNTIME") or None,
            mem_limit=limits.memory,
            memswap_limit=limits.memory,
            nano_cpus=int(limits.cpus * 1e9),
            log_config={"type": "json-file", "config": {"max-size": "1m"}},
        )
        return DockerSandbox(container)

    def for_thread(self) -> "DockerEngine":
        """A client of its own: requests sessions are not shared between threads."""
        return DockerEngine(_client(), self.image, self.run_id)

    def answers(self) -> bool:
        try:
            self.client.ping()
            return True
        except Exception:  # noqa: BLE001 - any failure means: not answering
            return False

    def sweep(self) -> None:
        remove_containers(self.client, f"{RUN_LABEL}={self.run_id}")  # what a killed run of this batch left
        sweep_expired(self.client)  # and what any run left past its deadline

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


def clean(run_id: Optional[str] = None) -> int:
    """`proclab clean`: remove every container labelled proclab, or only run `run_id`'s
    (`proclab clean --run ID`); return how many."""
    return remove_containers(_client(), f"{RUN_LABEL}={run_id}" if run_id else LABEL)


def build() -> None:
    """`proclab build`: build (or refresh) the lab image."""
    docker_image.build(_client())


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
