"""Building the lab image, on a laptop that can pull and on a machine that cannot.

The Dockerfile takes its base as a build argument. We use the public ``debian:bookworm-slim``
when it is present or can be pulled; otherwise (no registry) ``docker/make-base.sh`` builds the
same Debian release with debootstrap and imports it. Both give Python 3.11, procps and psmisc
from the same Debian release, so the labs behave the same on either.

The build context is made here, from the installed package (lab/resources.py finds the recipe
in a checkout or a wheel): only the Dockerfile, the in-image launcher and the lab package,
never the exercises (their reference solutions) or whatever else lies in the current folder.
The image is labelled with the proclab version that built it; an image of another version is
rebuilt before use, so an upgraded proclab never drives an old image.
"""

import hashlib
import io
import subprocess
import sys
import tarfile
import time

import docker
import docker.errors

from lab import __version__, resources
from lab.errors import ProclabError

IMAGE = "proclab:latest"
VERSION_LABEL = "proclab.version"
PUBLIC_BASE = "debian:bookworm-slim"
OFFLINE_REPOSITORY = "proclab-base"


def _say(message: str) -> None:
    print(f"proclab build: {message}", file=sys.stderr, flush=True)


def _image(client: docker.DockerClient, name: str):
    try:
        return client.images.get(name)
    except docker.errors.ImageNotFound:
        return None


def offline_base() -> str:
    """The offline base's name, tagged with its recipe's digest: a changed package list makes a
    new base instead of reusing one that lacks the new packages."""
    recipe = (resources.docker() / "make-base.sh").read_bytes()
    return f"{OFFLINE_REPOSITORY}:bookworm-{hashlib.sha256(recipe).hexdigest()[:12]}"


def choose_base(client: docker.DockerClient) -> str:
    """The base image to build from, making the offline one if nothing else can be had."""
    offline = offline_base()
    for name in (PUBLIC_BASE, offline):
        if _image(client, name):
            return name
    try:
        _say(f"pulling {PUBLIC_BASE}")
        client.images.pull(PUBLIC_BASE)
        return PUBLIC_BASE
    except docker.errors.APIError:
        _say(f"{PUBLIC_BASE} cannot be pulled (no registry?): building a Debian base with debootstrap")
    script = resources.docker() / "make-base.sh"
    if subprocess.run(["bash", str(script), offline]).returncode != 0:
        raise ProclabError("the image is missing and cannot be built: no base image could be pulled or made (see above)")
    return offline


def build_network(base: str) -> str:
    """The network the build's RUN steps get: none at all when the base already has every package.

    Only a public base needs the network (for apt-get). Building the offline base without one
    keeps the build hermetic, and lets it work on an engine that has no bridge (``docker0``) to
    attach a build container to, as some CI runners have.
    """
    return "default" if base == PUBLIC_BASE else "none"


def context() -> io.BytesIO:
    """The build context as a tar archive: docker/Dockerfile, docker/proclab and lab/ (without
    the package data and byte code), laid out as the Dockerfile's COPY lines expect."""
    archive = io.BytesIO()
    with tarfile.open(fileobj=archive, mode="w") as tar:
        for name in ("Dockerfile", "proclab"):
            tar.add(resources.docker() / name, f"docker/{name}")
        for relative in resources.package_files():
            tar.add(resources.PACKAGE / relative, f"lab/{relative.as_posix()}")
    archive.seek(0)
    return archive


def build(client: docker.DockerClient, tag: str = IMAGE) -> None:
    """Build (or refresh, from the layer cache) the lab image from this installation."""
    if not (resources.docker() / "Dockerfile").is_file():
        raise ProclabError(f"cannot build {tag}: no Dockerfile in {resources.docker()}")
    base = choose_base(client)
    started = time.monotonic()
    _say(f"building {tag} (proclab {__version__}) from {base}")
    log = client.api.build(
        fileobj=context(), custom_context=True, dockerfile="docker/Dockerfile", tag=tag,
        buildargs={"BASE": base}, labels={VERSION_LABEL: __version__},
        rm=True, forcerm=True, decode=True, network_mode=build_network(base),
    )
    for entry in log:
        if "error" in entry:
            raise ProclabError(f"building {tag} failed: {entry['error'].strip()}")
    _say(f"built {tag} in {time.monotonic() - started:.1f} s")


def ensure(client: docker.DockerClient, tag: str = IMAGE) -> None:
    """Build the lab image if it is missing (a lab's first run on a fresh machine) or was built by
    another proclab version (its labs' programs and observer would not be this version's)."""
    image = _image(client, tag)
    if image is None:
        _say(f"{tag} is missing: building it once")
    elif image.labels.get(VERSION_LABEL) != __version__:
        built_by = image.labels.get(VERSION_LABEL) or "an unknown version"
        _say(f"{tag} is stale (built by proclab {built_by}, this is {__version__}): rebuilding it")
    else:
        return
    build(client, tag)
