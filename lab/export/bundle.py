"""What every export is made of: an exercise's files, sorted by who may see them, and proclab
itself as a wheel that a platform installs offline.

The wheel is made here, from the running installation, rather than by `pip wheel`: an
instructor who installed proclab from a wheel has no source tree left to build one from, and a
platform's setup step may have no network to fetch a build backend. A wheel is a zip with a
dist-info folder (PEP 427); we write the same files the setuptools build writes (the package,
its data mapped as pyproject.toml maps it, METADATA and entry points of the installed
distribution), and a RECORD of their digests.
"""

import base64
import hashlib
import importlib.metadata
import zipfile
from pathlib import Path

from lab import __version__, resources
from lab.errors import ProclabError
from lab.grading import catalog
from lab.grading.spec import Exercise

GRADERS_ONLY = ("checks.py",)  # how the exercise is graded: never for students
REFERENCE = ("solution.py",)  # the reference solution: in no bundle at all
WHEEL = f"proclab-{__version__}-py3-none-any.whl"
DIST_INFO = f"proclab-{__version__}.dist-info"


def exercise_files(exercise: Exercise, for_students: bool) -> dict:
    """The exercise's files (relative path -> bytes): its statement, starter and support files;
    the checks too unless `for_students`; the reference solution never."""
    left_out = REFERENCE + (GRADERS_ONLY if for_students else ())
    return _files(catalog.folder(exercise.name), lambda relative: relative.parts[0] not in left_out)


def _files(folder: Path, keep) -> dict:
    found = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if path.is_file() and "__pycache__" not in relative.parts and path.suffix != ".pyc" and keep(relative):
            found[relative.as_posix()] = path.read_bytes()
    return found


def within(exercise: Exercise, seconds: float, platform: str, margin: float = 0) -> None:
    """Refuse, in one line, an exercise whose grading (and `margin` around it) may outlast a
    platform's longest time limit: no setting there would let its slowest submissions get feedback."""
    if exercise.worst_case_seconds + margin > seconds:
        raise ProclabError(f"{exercise.name} may take {exercise.worst_case_seconds:g} s to grade; {platform} stops "
                           f"a grader after at most {seconds:g} s: fewer runs or a shorter time limit")


def write_files(folder: Path, files: dict) -> None:
    for relative, data in files.items():
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def wheel(folder: Path) -> Path:
    """proclab's wheel, written into `folder` (instead of any other proclab wheel there): the
    package with its exercises (never their reference solutions) and the image's recipe."""
    try:
        distribution = importlib.metadata.distribution("proclab")
    except importlib.metadata.PackageNotFoundError:
        raise ProclabError("exporting an autograder needs proclab installed (pip install proclab, or "
                           "`make build` in a checkout): its wheel is made from the installation") from None
    if distribution.version != __version__:
        raise ProclabError(f"the installed proclab says version {distribution.version}, its code {__version__}: "
                           "reinstall it (pip install -e . in a checkout) before exporting")
    contents = {f"lab/{path.as_posix()}": (resources.PACKAGE / path).read_bytes() for path in resources.package_files()}
    for name, source, keep in (("exercises", resources.exercises(), _exercise_data),
                               ("docker", resources.docker(), _docker_data)):
        inside = f"lab/{resources.IN_PACKAGE[name]}"  # where pyproject.toml maps it (a wheel from a wheel too)
        contents.update({f"{inside}/{path}": data for path, data in _files(source, keep).items()})
    # an egg-info (a checkout's build leftover, found first from the checkout's root) has PKG-INFO instead
    metadata = distribution.read_text("METADATA") or distribution.read_text("PKG-INFO")
    contents[f"{DIST_INFO}/METADATA"] = metadata.encode()
    contents[f"{DIST_INFO}/entry_points.txt"] = distribution.read_text("entry_points.txt").encode()
    contents[f"{DIST_INFO}/WHEEL"] = (b"Wheel-Version: 1.0\nGenerator: proclab export\n"
                                      b"Root-Is-Purelib: true\nTag: py3-none-any\n")
    record = "".join(f"{path},sha256={_digest(data)},{len(data)}\n" for path, data in contents.items())
    contents[f"{DIST_INFO}/RECORD"] = (record + f"{DIST_INFO}/RECORD,,\n").encode()
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("proclab-*.whl"):  # an earlier export's: installers there take every wheel
        stale.unlink()
    path = folder / WHEEL
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in contents.items():
            archive.writestr(name, data)
    return path


def _digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def _exercise_data(relative: Path) -> bool:
    """As pyproject.toml's package data (each exercise's .py and .md files), without the reference
    solutions: a platform has no use for them, and its student's program could read them."""
    return len(relative.parts) == 2 and relative.suffix in (".py", ".md") and relative.name not in REFERENCE


def _docker_data(relative: Path) -> bool:
    return relative.as_posix() in ("Dockerfile", "make-base.sh", "proclab")
