"""Where proclab's data is: the exercises and the image's recipe (Dockerfile, make-base.sh).

In a checkout they are the top-level folders exercises/ and docker/, beside the lab package; in
an installed wheel they are the package data lab/_exercises and lab/_docker (pyproject.toml maps
them there). Everything that reads them asks here, so both layouts work from any folder.
"""

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def _data(name: str) -> Path:
    installed = PACKAGE / f"_{name}"
    return installed if installed.is_dir() else PACKAGE.parent / name


def exercises() -> Path:
    """The exercises that come with proclab (an instructor's own: `--exercises DIR`)."""
    return _data("exercises")


def docker() -> Path:
    """The folder with the Dockerfile, make-base.sh and the in-image `proclab` launcher."""
    return _data("docker")
