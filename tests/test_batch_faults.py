"""A batch under faults: the grader SIGKILLed at random moments, and the engine going away.

Neither may cost a student anything: a rerun must produce exactly the grades.csv of a batch
that was never disturbed, and nothing may be left running.
"""

import contextlib
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import psutil
import pytest

from lab.backends import docker as docker_backend
from lab.grading import batch, catalog
from tests.support import SWEEPS, labelled, poll
from tests.wrong_solutions import course

PROCLAB = [sys.executable, "-m", "lab"]
ZOMBIE = catalog.folder("zombie")
KILLS = 20


@contextlib.contextmanager
def batch_process(folder: Path, out: Path, env=None):
    """A batch (`proclab grade zombie FOLDER --out OUT --jobs 2`) as a child process.

    Should the test leave before the batch has ended (a failed poll, Ctrl-C), the batch gets
    SIGTERM, on which it removes its containers and ends: no batch outlives its test.
    """
    process = subprocess.Popen(PROCLAB + ["grade", "zombie", str(folder), "--out", str(out), "--jobs", "2"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                process.kill()


def finish_batch(folder: Path, out: Path, env=None) -> subprocess.CompletedProcess:
    with batch_process(folder, out, env) as process:
        stdout, stderr = process.communicate(timeout=600)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def moment(kind: str, out: Path, client, ours: str):
    """A condition that marks a moment of the batch's life: where a SIGKILL lands."""
    results_now = len(list(out.glob("*.json")))
    containers_now = {c.id for c in labelled(client, ours)}  # left by the killed run before
    return {
        "at once": lambda: True,
        "a new container is up": lambda: bool({c.id for c in labelled(client, ours)} - containers_now),
        "a result was written": lambda: len(list(out.glob("*.json"))) > results_now,
    }[kind]


@SWEEPS
@pytest.mark.container
def test_sigkilled_at_random_moments_the_batch_resumes_to_the_same_grades(client, tmp_path):
    folder = course("zombie", tmp_path / "class", 16)
    calm = finish_batch(folder, tmp_path / "calm")
    assert calm.returncode == 0, calm.stdout + calm.stderr

    out = tmp_path / "chaos"
    ours = f"{docker_backend.RUN_LABEL}={batch.run_id_for(out)}"
    chooser = random.Random(int(os.environ.get("PROCLAB_CHAOS_SEED", "0")) or None)
    delivered, missed = [], []
    for _ in range(KILLS):
        out.mkdir(exist_ok=True)
        kind = chooser.choice(["at once", "a new container is up", "a new container is up",
                               "a new container is up", "a result was written"])
        condition = moment(kind, out, client, ours)
        with batch_process(folder, out) as process:
            if poll(condition, 120, f"the moment “{kind}”", process):
                process.kill()
                delivered.append(kind)
            stdout, stderr = process.communicate(timeout=120)
        if process.returncode != -signal.SIGKILL:
            missed.append(f"{kind}: the batch ended by itself with {process.returncode}: {stdout[-300:]}{stderr[-300:]}")
    assert len(delivered) >= KILLS * 3 // 4, "\n".join([f"delivered {delivered}", *missed])

    resumed = finish_batch(folder, out)
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert not labelled(client, ours), "the resumed batch did not sweep what the killed ones left"
    strays = [p.pid for p in psutil.process_iter(["cmdline"]) if str(out) in " ".join(p.info["cmdline"] or [])]
    assert strays == []
    assert (out / "grades.csv").read_text() == (tmp_path / "calm" / "grades.csv").read_text()


class EngineProxy:
    """A socket that forwards to the real engine until `stop()`: an engine that can go away."""

    def __init__(self, path: Path):
        host = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
        assert host.startswith("unix://"), "the proxy forwards to a local engine socket"
        self.target = host[len("unix://"):]
        self.path = str(path)
        self.server = socket.socket(socket.AF_UNIX)
        self.server.bind(self.path)
        self.server.listen(64)
        self.sockets = []
        self.stopped = False
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return  # stopped
            with self.lock:
                if self.stopped:  # accepted from the backlog as the engine went away: it is gone
                    client.close()
                    return
                upstream = socket.socket(socket.AF_UNIX)
                upstream.connect(self.target)
                self.sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
            sink.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    def stop(self):
        with self.lock:
            self.stopped = True
            try:
                self.server.shutdown(socket.SHUT_RDWR)  # wakes the accept()
            except OSError:
                pass
            self.server.close()
            for s in self.sockets:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()
        os.unlink(self.path)


@SWEEPS
@pytest.mark.container
def test_when_the_engine_goes_away_the_batch_stops_and_a_rerun_completes_it(client, tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    for n in range(4):
        shutil.copy(ZOMBIE / "solution.py", folder / f"s{n}.py")
    out = tmp_path / "out"
    ours = f"{docker_backend.RUN_LABEL}={batch.run_id_for(out)}"
    proxy = EngineProxy(tmp_path / "engine.sock")
    env = {**os.environ, "DOCKER_HOST": f"unix://{proxy.path}"}
    with batch_process(folder, out, env) as process:
        poll(lambda: list(out.glob("*.json")) and labelled(client, ours), 120,
             "a result written while another grading runs", process)
        proxy.stop()
        stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 2, stdout + stderr
    assert "the docker engine stopped answering" in stdout
    statuses = [batch.results.Result.from_json(p.read_text()).status for p in out.glob("*.json")]
    assert "error" in statuses and set(statuses) <= {"passed", "error"}, statuses

    rerun = finish_batch(folder, out)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert "4 graded" in rerun.stdout and "0 grader errors" in rerun.stdout
    assert not labelled(client, ours)
