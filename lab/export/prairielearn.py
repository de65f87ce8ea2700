"""A PrairieLearn question for an exercise, graded by an external grader image of proclab's.

PrairieLearn's grader host (apps/grader-host/src/index.ts in PrairieLearn's repository) runs the
question's image once per submission, as the image's user (it sets none), with the network off,
no Docker engine, 2 GiB and 0.9 CPU, and the job mounted at /grade: the question's `tests/`
folder at /grade/tests, the student's files at /grade/student. It runs info.json's `entrypoint`
(split like a shell line), kills the container after `timeout` seconds, and reads
/grade/results/results.json only when the entrypoint exited 0. So the grader grades in place
(`--backend local`, which needs root: the image keeps Docker's default user, root), and
`proclab grade --format prairielearn --out` writes that file whatever happens and exits 0.

The folder written (copy it into the course's `questions/`):

* ``info.json``: the question's settings, external grading with `IMAGE` and the timeout;
* ``question.html`` and ``starter.py``: the statement, an editor holding the starter as
  `solution.py`, and the grader's results once submitted;
* ``tests/exercises/NAME/``: the exercise's grader files (the checks, never the reference);
* ``grader/``: the image's recipe (Dockerfile, proclab's wheel, the entrypoint), one image for
  every exercise: the instructor builds it and pushes it as `IMAGE`.
"""

import json
import math
import os
import uuid
from pathlib import Path

from lab import __version__
from lab.export import bundle
from lab.grading.spec import Exercise

# The name the instructor pushes the grader image as (info.json's `image`), versioned with the
# wheel inside it: a question exported by another proclab asks for the image that matches it.
IMAGE = os.environ.get("PROCLAB_PRAIRIELEARN_IMAGE", f"proclab/grader:{__version__}")
ENTRYPOINT = "/usr/local/bin/proclab-prairielearn"
EXERCISES = "tests/exercises"  # in the question folder; /grade/tests/exercises in the grader
# Above the exercise's worst case: the interpreter's and proclab's start-up and the results'
# writing, on the 0.9 CPU the grader host gives. PrairieLearn refuses more than MAX_TIMEOUT.
MARGIN_SECONDS = 10
MAX_TIMEOUT = 600
# Stable per exercise name: re-exporting updates the course's question instead of adding one.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/proclab/prairielearn")

QUESTION_HTML = """\
<!-- The statement (README.md, English and Chinese), the starter in an editor, and the grader's
     results. `<markdown>` is PrairieLearn's: its content must not be indented. -->
<pl-question-panel>
<markdown>
{statement}
</markdown>
<pl-file-editor file-name="solution.py" ace-mode="ace/mode/python" source-file-name="starter.py"></pl-file-editor>
</pl-question-panel>

<pl-submission-panel>
<pl-external-grader-results></pl-external-grader-results>
<pl-file-preview></pl-file-preview>
</pl-submission-panel>
"""

DOCKERFILE = """\
# proclab's external grader for PrairieLearn: Python 3 with psutil, tabulate and tqdm from
# Debian, ps, and proclab installed from its wheel, offline. One image grades every exercise:
# the question's tests/ folder brings the exercise (the grader host mounts it at /grade/tests).
#
# No USER: the grader host runs the image's user, and grading in place (--backend local) needs
# root, to run the student's program as a uid of its own.
#
#   docker build -t IMAGE grader/ && docker push IMAGE      (IMAGE: info.json's "image")
#
# BASE: a public Debian bookworm image where one can be pulled; or, offline, a Debian image
# that already has the packages (proclab's offline base), with `--network none`.
ARG BASE=debian:bookworm-slim
FROM ${BASE}

# Install only what the base lacks: the offline base has everything (and no network to fetch from).
RUN if ! python3 -c 'import psutil, tabulate, tqdm, pip' 2>/dev/null || ! command -v ps >/dev/null; then \\
        apt-get update \\
        && apt-get install -y --no-install-recommends python3 python3-psutil python3-tabulate python3-tqdm \\
           python3-pip procps \\
        && rm -rf /var/lib/apt/lists/*; \\
    fi

# --no-deps: the dependencies proclab grades with come from Debian above; the others (the
# Docker SDK) are for grading in containers, which a grader without an engine never does.
# PIP_BREAK_SYSTEM_PACKAGES: Debian's pip refuses the system's Python without it (PEP 668).
# The wheel has no reference solution in it: the student's program runs on this file system.
# chmod: the folder may have lost its files' modes on the way (a zip, Windows).
COPY proclab-*.whl /tmp/
COPY proclab-prairielearn /usr/local/bin/proclab-prairielearn
RUN PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install --no-index --no-deps --no-cache-dir /tmp/proclab-*.whl \\
    && rm /tmp/proclab-*.whl \\
    && chmod 755 /usr/local/bin/proclab-prairielearn

# The checks are imported from the job folder, /grade/tests: no __pycache__ left in it.
ENV PYTHONDONTWRITEBYTECODE=1
"""

ENTRYPOINT_SCRIPT = """\
#!/bin/sh
# PrairieLearn's entrypoint, `proclab-prairielearn EXERCISE` (info.json), run as root with the
# job at /grade: the exercise in /grade/{exercises}, the student's solution.py (or only .py
# file) in /grade/student. `proclab grade` with a platform format and --out writes
# results.json whatever happens (a grader error too, as gradable: false), making its folder,
# and then exits 0; PrairieLearn reads the results only after a 0.
set -eu
exec proclab grade "$1" /grade/student --single --backend local --exercises /grade/{exercises} \\
    --format prairielearn --out /grade/results/results.json --lang {lang}
"""


def timeout(exercise: Exercise) -> int:
    """info.json's `timeout`: the grading's worst case and a margin, in whole seconds."""
    bundle.within(exercise, MAX_TIMEOUT, "PrairieLearn", margin=MARGIN_SECONDS)
    return math.ceil(exercise.worst_case_seconds) + MARGIN_SECONDS


def info(exercise: Exercise) -> dict:
    return {
        "uuid": str(uuid.uuid5(NAMESPACE, exercise.name)),
        "title": exercise.title.en,
        "topic": "Processes",
        "tags": ["proclab"],
        "type": "v3",
        "singleVariant": True,
        "gradingMethod": "External",
        "externalGradingOptions": {
            "enabled": True,
            "image": IMAGE,
            "entrypoint": f"{ENTRYPOINT} {exercise.name}",
            "timeout": timeout(exercise),
        },
    }


def export(exercise: Exercise, out: Path, lang: str = "en") -> Path:
    """Write the question folder at `out`, its feedback in `lang` (a wheel of an earlier export in
    grader/ is replaced: the Dockerfile installs every proclab-*.whl it finds)."""
    out.mkdir(parents=True, exist_ok=True)
    graders = bundle.exercise_files(exercise, for_students=False)
    bundle.write_files(out, {
        "info.json": (json.dumps(info(exercise), indent=2, ensure_ascii=False) + "\n").encode(),
        "question.html": QUESTION_HTML.format(statement=graders["README.md"].decode().strip()).encode(),
        "starter.py": graders["starter.py"],
        **{f"{EXERCISES}/{exercise.name}/{path}": data for path, data in graders.items()},
        "grader/Dockerfile": DOCKERFILE.encode(),
        "grader/proclab-prairielearn": ENTRYPOINT_SCRIPT.format(exercises=EXERCISES, lang=lang).encode(),
    })
    bundle.wheel(out / "grader")
    return out
