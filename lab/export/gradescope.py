"""A Gradescope autograder for an exercise: the .zip an instructor uploads.

Gradescope (its autograder specification) unpacks the zip in /autograder/source of an Ubuntu
image and runs `setup.sh` there once, as root, when it builds the image, with the network on as
a rule; then, for each submission, it runs `run_autograder` (copied to /autograder/run_autograder)
as root, with the student's files in /autograder/submission under the names the student gave
them, and reads /autograder/results/results.json. There is no Docker engine in there: the
submission is graded in place (`--backend local`).

The zip holds the two scripts, proclab's wheel and the exercise's grader files
(`exercises/NAME/`: the statement, the starter, the checks). No reference solution is in it,
nor in the wheel: the student's program can read whatever is world-readable there. The scripts
are templates here rather than files of their own: each is a few commented lines around proclab's
own command line, and what they name (the exercise, the wheel, the venv) is known only at export.

Why setup.sh installs as it does: the system's Python may have no pip, or refuse to install
into itself (PEP 668), so proclab gets a venv of its own; `--system-site-packages`, so that the
image's python3-psutil and python3-tabulate count where no package index can be reached (an
offline build installs the wheel without its dependencies, then checks that grading in place
has what it imports).
"""

import shlex
import stat
import tempfile
import zipfile
from pathlib import Path

from lab.export import bundle
from lab.grading.spec import Exercise

VENV = "/autograder/source/venv"  # proclab's own, made by setup.sh
MAX_TIMEOUT = 40 * 60  # seconds: the longest autograder timeout Gradescope allows (its default is 10 min)
SCRIPT, FILE = stat.S_IFREG | 0o755, stat.S_IFREG | 0o644  # modes of the zip's entries

SETUP = """\
#!/usr/bin/env bash
# proclab's autograder, set up: Gradescope runs this once, as root, when it builds the image.
set -eu
cd /autograder/source
export PIP_DISABLE_PIP_VERSION_CHECK=1

# A venv of proclab's own, which also sees the system's packages (python3-psutil, ...).
# Ubuntu ships venv's pip apart, in python3-venv: installed if the venv cannot be made.
if ! python3 -m venv --system-site-packages {venv}; then
    apt-get update && apt-get install -y python3-venv
    python3 -m venv --clear --system-site-packages {venv}
fi

# proclab and its dependencies from the package index; where none is reachable, proclab alone.
if ! {venv}/bin/pip install --quiet --retries 1 --timeout 10 {wheel}; then
    echo "setup.sh: no package index reachable: installing proclab without its dependencies"
    {venv}/bin/pip install --quiet --no-deps {wheel}
fi
# Grading in place imports psutil and tabulate (the Docker SDK only grades with an engine).
if ! {venv}/bin/python -c "import psutil, tabulate" 2>/dev/null; then
    echo "setup.sh: proclab needs psutil and tabulate, and no package index was reachable to install" \\
         "them: give the build network access, or a base image with python3-psutil and python3-tabulate" >&2
    exit 1
fi
"""

RUN_AUTOGRADER = """\
#!/bin/sh
# proclab's autograder, run by Gradescope as root for each submission. No Docker engine here:
# the submission's solution.py, or its only .py file whatever its name, runs in place as a uid
# of its own. With --format gradescope and --out, proclab writes results.json whatever happens
# (a grader error too, marked as one) and exits 0.
# PROCLAB_ALLOW_HOST=1: Gradescope runs this only in a throw-away container of its own, which
# need not carry the marks proclab knows a container by (/.dockerenv, a container's cgroup).
export PROCLAB_ALLOW_HOST=1
exec {venv}/bin/python -m lab grade {exercise} /autograder/submission --single --backend local \\
    --exercises /autograder/source/exercises --format gradescope --out /autograder/results/results.json --lang {lang}
"""


def export(exercise: Exercise, out: Path, lang: str = "en") -> Path:
    """Write the autograder zip at `out` (its folder made), its feedback in `lang`; its path."""
    bundle.within(exercise, MAX_TIMEOUT, "Gradescope")
    with tempfile.TemporaryDirectory() as folder:
        wheel = bundle.wheel(Path(folder)).read_bytes()
    entries = {
        "setup.sh": (SETUP.format(venv=VENV, wheel=bundle.WHEEL).encode(), SCRIPT),
        "run_autograder": (RUN_AUTOGRADER.format(venv=VENV, exercise=shlex.quote(exercise.name), lang=lang).encode(), SCRIPT),
        bundle.WHEEL: (wheel, FILE),
        **{f"exercises/{exercise.name}/{path}": (data, FILE)
           for path, data in bundle.exercise_files(exercise, for_students=False).items()},
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, (data, mode) in entries.items():
            entry = zipfile.ZipInfo(name)
            # made on Unix (3), so that unzip gives the files these modes
            entry.create_system, entry.external_attr, entry.compress_type = 3, mode << 16, zipfile.ZIP_DEFLATED
            archive.writestr(entry, data)
    return out
