"""Finding the Docker engine as the docker CLI does (issue 10), and saying why it did not answer.

No engine is needed: the CLI's settings are a fake DOCKER_CONFIG folder in tmp_path, and the
"engines" are unix sockets in tmp_path that nobody serves.
"""

import hashlib
import json
import os
import socket

import pytest

from lab.backends import docker as docker_backend
from lab.errors import ProclabError

NOBODY = 65534


def docker_config(folder, current=None, contexts=()):
    """A DOCKER_CONFIG folder as `docker context create` and `docker context use` leave it."""
    folder.mkdir(exist_ok=True)
    (folder / "config.json").write_text(json.dumps({"currentContext": current} if current else {}))
    for name, host in contexts:
        meta = folder / "contexts" / "meta" / hashlib.sha256(name.encode()).hexdigest()
        meta.mkdir(parents=True)
        (meta / "meta.json").write_text(json.dumps(
            {"Name": name, "Metadata": {}, "Endpoints": {"docker": {"Host": host, "SkipTLSVerify": False}}}))
    return folder


@pytest.fixture
def environ(tmp_path):
    """An environment with no DOCKER_* variable, its DOCKER_CONFIG in tmp_path."""
    return {"DOCKER_CONFIG": str(tmp_path / "docker-config")}


@pytest.fixture
def unserved_socket(tmp_path):
    """A unix socket bound but not listening: connecting is refused, as when the engine is down."""
    path = tmp_path / "engine.sock"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(path))
    yield path
    sock.close()


def test_docker_host_wins_over_every_context(environ, tmp_path):
    docker_config(tmp_path / "docker-config", "colima", [("colima", "unix:///colima.sock")])
    environ.update(DOCKER_HOST="tcp://10.0.0.1:2375", DOCKER_CONTEXT="colima")
    assert docker_backend.find_endpoint(environ) == docker_backend.Endpoint(
        "tcp://10.0.0.1:2375", "DOCKER_HOST=tcp://10.0.0.1:2375", from_docker_host=True)


def test_without_settings_the_default_socket(environ):
    assert docker_backend.find_endpoint(environ).host == "unix:///var/run/docker.sock"


def test_the_current_context_of_the_config_file(environ, tmp_path):
    """Docker Desktop >= 4.13 on macOS: no /var/run/docker.sock, only its context."""
    desktop = f"unix://{tmp_path}/desktop.sock"
    docker_config(tmp_path / "docker-config", "desktop-linux", [("desktop-linux", desktop), ("other", "unix:///x")])
    endpoint = docker_backend.find_endpoint(environ)
    assert endpoint.host == desktop
    assert "desktop-linux" in endpoint.source


def test_docker_context_variable_wins_over_the_config_file(environ, tmp_path):
    docker_config(tmp_path / "docker-config", "desktop-linux",
                  [("desktop-linux", "unix:///desktop.sock"), ("orbstack", "unix:///orbstack.sock")])
    environ["DOCKER_CONTEXT"] = "orbstack"
    assert docker_backend.find_endpoint(environ).host == "unix:///orbstack.sock"


def test_the_default_context_by_name_is_the_default_socket(environ, tmp_path):
    docker_config(tmp_path / "docker-config", "colima", [("colima", "unix:///colima.sock")])
    environ["DOCKER_CONTEXT"] = "default"
    assert docker_backend.find_endpoint(environ).host == "unix:///var/run/docker.sock"


def test_config_folder_defaults_to_dot_docker_in_home(monkeypatch, tmp_path):
    docker_config(tmp_path / ".docker", "rootless", [("rootless", "unix:///run/user/1000/docker.sock")])
    monkeypatch.setenv("HOME", str(tmp_path))
    assert docker_backend.find_endpoint({}).host == "unix:///run/user/1000/docker.sock"


@pytest.mark.parametrize("named_by", ["config", "variable"])
def test_a_missing_context_is_named_with_where_it_was_named(environ, tmp_path, named_by):
    """Not a silent fall back to the default socket, which would say "not running" wrongly."""
    folder = docker_config(tmp_path / "docker-config", "gone" if named_by == "config" else None)
    if named_by == "variable":
        environ["DOCKER_CONTEXT"] = "gone"
    with pytest.raises(ProclabError) as raised:
        docker_backend.find_endpoint(environ)
    message = str(raised.value)
    where = str(folder / "config.json") if named_by == "config" else "DOCKER_CONTEXT"
    assert message.startswith(f"the docker context gone named in {where} does not exist")
    assert "\n" not in message


def test_connect_names_the_context_socket_where_nothing_listens(monkeypatch, tmp_path, unserved_socket):
    docker_config(tmp_path / "docker-config", "colima", [("colima", f"unix://{unserved_socket}")])
    for name in ("DOCKER_HOST", "DOCKER_CONTEXT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path / "docker-config"))
    with pytest.raises(ProclabError) as raised:
        docker_backend.connect(image=False)
    message = str(raised.value)
    assert message.startswith(f"cannot reach the Docker engine at unix://{unserved_socket}: is Docker running? "
                              "(docker context colima, from ")
    assert "\n" not in message and raised.value.exit_status == 2


def test_connect_names_a_docker_host_socket_that_does_not_exist(monkeypatch, tmp_path):
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/missing.sock")
    with pytest.raises(ProclabError, match=f"at unix://{tmp_path}/missing.sock: is Docker running\\? "
                                           f"\\(DOCKER_HOST=unix://{tmp_path}/missing.sock;"):
        docker_backend.connect(image=False)


def message_of_an_unprivileged_connection(endpoint) -> str:
    """What `unreachable` makes of what docker-py raises for a caller that is not root (root
    opens any socket). A failure to drop root is no connection error: it is reported as such."""
    try:
        if os.geteuid() == 0:
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
    except OSError as error:
        return f"could not become nobody: {error}"
    try:
        docker_backend._open(endpoint).ping()
        return "connected"
    except Exception as error:  # noqa: BLE001 - whatever it is goes back to the parent
        return docker_backend.unreachable(endpoint, error)


def test_permission_denied_is_told_apart(tmp_path):
    """A real EACCES: a forked child, not root, connects through docker-py to a listening socket
    of mode 000."""
    path = tmp_path / "engine.sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.listen()
    os.chmod(path, 0)
    os.chmod(tmp_path, 0o755)
    endpoint = docker_backend.Endpoint(f"unix://{path}", "docker context test")
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child, which must never return into pytest
        try:
            os.write(writing, message_of_an_unprivileged_connection(endpoint).encode())
        finally:
            os._exit(0)
    os.close(writing)
    os.waitpid(child, 0)
    with os.fdopen(reading) as pipe:
        message = pipe.read()
    server.close()
    assert message == (f"permission denied on the Docker socket unix://{path} (docker context test): "
                       "add yourself to the docker group (then log in again), or run with sudo")
