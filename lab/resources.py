"""Where proclab's data is: the exercises and the image's recipe (Dockerfile, make-base.sh).

In a checkout they are the top-level folders exercises/ and docker/, beside the lab package; in
an installed wheel they are the package data lab/_exercises and lab/_docker (pyproject.toml maps
them there). Everything that reads them asks here, so both layouts work from any folder; and
what ships proclab's own code elsewhere (the image's build context, an export's wheel) takes
`package_files()`, which leaves that data out.
"""

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
# Each data folder's name at the top of a checkout -> its name inside the package, in a wheel.
IN_PACKAGE = {"exercises": "_exercises", "docker": "_docker"}


def _data(name: str) -> Path:
    installed = PACKAGE / IN_PACKAGE[name]
    return installed if installed.is_dir() else PACKAGE.parent / name


def exercises() -> Path:
    """The exercises that come with proclab (an instructor's own: `--exercises DIR`)."""
    return _data("exercises")


def docker() -> Path:
    """The folder with the Dockerfile, make-base.sh and the in-image `proclab` launcher."""
    return _data("docker")


def package_files() -> list:
    """The lab package's own files, relative to it, in order: its code and the labs' programs,
    without the package data (in a wheel) and without byte code."""
    return [path.relative_to(PACKAGE) for path in sorted(PACKAGE.rglob("*"))
            if path.is_file() and path.relative_to(PACKAGE).parts[0] not in IN_PACKAGE.values()
            and "__pycache__" not in path.parts and path.suffix != ".pyc"]
