"""The labs, by name, in the order of the course.

Each module of this package that defines `LAB` is a lab (data); `runner` plays them. CURRICULUM
orders them as the tutorial does; a test checks that every lab module is in it.
"""

import importlib
import pkgutil

CURRICULUM = (
    "ps", "spawn", "isolation", "join", "attributes",
    "zombie", "orphan", "reap", "init",
    "daemon", "lock", "queue", "pipe", "prodcons",
)
_NOT_LABS = {"model", "runner", "claims", "places"}


def _discover() -> dict:
    names = [m.name for m in pkgutil.iter_modules(__path__) if m.name not in _NOT_LABS]
    ordered = sorted(names, key=lambda n: (CURRICULUM.index(n) if n in CURRICULUM else len(CURRICULUM), n))
    labs = (importlib.import_module(f"{__name__}.{name}").LAB for name in ordered)
    return {lab.name: lab for lab in labs}


LABS = _discover()
