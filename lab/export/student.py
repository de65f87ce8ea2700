"""What students get for an exercise: its statement (README.md, English and Chinese), the
starter and any support file; never the checks or the reference solution."""

from pathlib import Path

from lab.export import bundle
from lab.grading.spec import Exercise


def export(exercise: Exercise, out: Path, lang: str = "en") -> Path:
    """Write what students get at `out`: the statement holds both languages, whatever `lang` says."""
    out.mkdir(parents=True, exist_ok=True)
    bundle.write_files(out, bundle.exercise_files(exercise, for_students=True))
    return out
