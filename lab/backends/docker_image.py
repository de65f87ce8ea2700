"""Building the lab image, on a laptop that can pull and on a machine that cannot.

The Dockerfile takes its base as a build argument. We use the public ``debian:bookworm-slim``
when it is present or can be pulled; otherwise (no registry) ``docker/make-base.sh`` builds the
same Debian release with debootstrap and imports it. Both give Python 3.11, procps and psmisc
from the same Debian release, so the labs behave the same on either.
"""

import subprocess
import sys
import time
from pathlib import Path

import docker
import docker.errors

from lab.errors import ProclabError
IMAGE = "proclab:latest"

ROOT = Path(__file__).resolve().parents[2]
PUBLIC_BASE = "debian:bookworm-slim"
OFFLINE_BASE = "proclab-base:bookworm"


def _say(message: str) -> None:
    print(f"proclab build: {message}", file=sys.stderr, flush=True)


def _present(client: docker.DockerClient, name: str) -> bool:
    try:
        client.images.get(name)
        return True
    except docker.errors.ImageNotFound:
        return False


def choose_base(client: docker.DockerClient) -> str:
    """The base image to build from, making the offline one if nothing else can be had."""
    for name in (PUBLIC_BASE, OFFLINE_BASE):
        if _present(client, name):
            return name
    try:
        _say(f"pulling {PUBLIC_BASE}")
        client.images.pull(PUBLIC_BASE)
        return PUBLIC_BASE
    except docker.errors.APIError:
        _say(f"{PUBLIC_BASE} cannot be pulled (no registry?): building a Debian base with debootstrap")
    script = ROOT / "docker" / "make-base.sh"
    if subprocess.run(["bash", str(script), OFFLINE_BASE]).returncode != 0:
        raise ProclabError("the image is missing and cannot be built: no base image could be pulled or made (see above)")
    return OFFLINE_BASE


def _build_network(base: str) -> str:
    """The network the build's RUN steps get: none at all when the base already has every package.

    Only a public base needs the network (for apt-get). Building the offline base without one
    keeps the build hermetic, and lets it work on an engine that has no bridge (``docker0``) to
    attach a build container to, as some CI runners have.
    """
    return "none" if base == OFFLINE_BASE else "default"


def build(client: docker.DockerClient, tag: str = IMAGE) -> None:
    """Build (or refresh, from the layer cache) the lab image from this checkout."""
    if not (ROOT / "docker" / "Dockerfile").exists():
        raise ProclabError(f"cannot build {tag}: no docker/Dockerfile beside the lab package ({ROOT})")
    base = choose_base(client)
    started = time.monotonic()
    _say(f"building {tag} from {base}")
    log = client.api.build(
        path=str(ROOT), dockerfile="docker/Dockerfile", tag=tag, buildargs={"BASE": base},
        rm=True, forcerm=True, decode=True, network_mode=_build_network(base),
    )
    for entry in log:
        if "error" in entry:
            raise ProclabError(f"building {tag} failed: {entry['error'].strip()}")
    _say(f"built {tag} in {time.monotonic() - started:.1f} s")


def ensure(client: docker.DockerClient, tag: str = IMAGE) -> None:
    """Build the lab image if it is missing (a lab's first run on a fresh machine)."""
    if not _present(client, tag):
        _say(f"{tag} is missing: building it once")
        build(client, tag)
