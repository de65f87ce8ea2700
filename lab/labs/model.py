"""What a lab is made of. A lab is data: boxes (sandboxes), then numbered steps, each with
narration, actions, and the checks of what the narration claims.

A check is a sentence and a test over a `World` (the observed process table plus the names the
lab gave to processes). The runner polls snapshots until the test holds or its deadline passes.

Every sentence a student reads is a `T`: English and Chinese side by side (the tutorial the
course follows is Chinese). Both are required, and a test checks every lab for them.

Labs run in a container (`--backend docker`) or in place (`--backend local`), and some things a
student looks at are not the same there: who adopts orphans, the PPID of a program the lab
starts, which processes a `ps` shows. A text or a command that differs is a `ByBackend`, one
value per backend; what differs only by a name or a number is a field in braces that the place
fills in (`{reaper_name}`, `{started_ppid}`: see `lab.labs.places`). Checks ask the `World`
what holds where they run (`w.place`), never assume a container.
"""

import posixpath
from dataclasses import dataclass, field
from typing import Any, Callable, NamedTuple, Optional

from lab.procfs import Process
from lab.text import T


class ByBackend(NamedTuple):
    """A text (a `T`) or a command (a str) that is not the same on every backend: one value per
    backend of `lab.sandbox.BACKENDS`. Labs hold it where they would hold the value itself."""

    docker: Any
    local: Any


def on(value, backend: str):
    """`value` as it is on `backend`: its variant if it is a `ByBackend`, else itself."""
    return getattr(value, backend) if isinstance(value, ByBackend) else value


def cat(*parts):
    """Texts one after the other, as one: a `T`, or a `ByBackend` of `T` when a part differs by
    backend (so that only the part that differs is written twice). English parts carry their
    own spaces."""
    if any(isinstance(part, ByBackend) for part in parts):
        return ByBackend(*(cat(*(on(part, backend) for part in parts)) for backend in ByBackend._fields))
    return T("".join(part.en for part in parts), "".join(part.zh for part in parts))


class World:
    """What a check can see: one snapshot, the processes the lab has named (roles; ``reaper`` is
    the box's reaper), the programs it started (their exit status and output), files in the
    sandbox's working directory, and what is true where it runs (`place`: a `places.Place`)."""

    def __init__(self, snapshot, roles: dict, programs: dict, sandbox, place):
        self.snapshot = snapshot
        self.roles = roles
        self._programs = programs
        self._sandbox = sandbox
        self.place = place

    def proc(self, role: str) -> Optional[Process]:
        """The named process as it is now; None once it has left the table, or before it is named."""
        pid = self.roles.get(role)
        return None if pid is None else self.snapshot.pid(pid)

    def state(self, role: str) -> Optional[str]:
        process = self.proc(role)
        return process.state if process else None

    def ppid(self, role: str) -> Optional[int]:
        process = self.proc(role)
        return process.ppid if process else None

    def catches(self, role: str, signum: int) -> bool:
        """Has the process a handler for `signum` (SigCgt in /proc/<pid>/status)?"""
        process = self.proc(role)
        return bool(process and process.catches(signum))

    def ignores(self, role: str, signum: int) -> bool:
        """Does the process ignore `signum` (SigIgn in /proc/<pid>/status)?"""
        process = self.proc(role)
        return bool(process and process.ignores(signum))

    def gone(self, role: str) -> bool:
        return self.proc(role) is None

    def alive(self, role: str) -> bool:
        return self.state(role) not in (None, "Z", "X")

    def children(self, role: str, state: Optional[str] = None) -> list:
        """The named process's children (none before it is named)."""
        pid = self.roles.get(role)
        return [] if pid is None else self.snapshot.children(pid, state)

    def child(self, role: str, state: Optional[str] = None) -> Optional[Process]:
        return next(iter(self.children(role, state)), None)

    def living_children(self, role: str) -> list:
        """The children that have not exited yet (a zombie's work is over)."""
        return [p for p in self.children(role) if p.state not in ("Z", "X")]

    def zombie_exit(self, role: str) -> Optional[int]:
        """For a zombie not yet reaped: the exitcode its parent will get (-N: killed by signal N).

        None while the process runs or once it is gone. Read from its wait status in /proc.
        """
        process = self.proc(role)
        return process.exit_code if process else None

    def pending(self, role: str, signum: int) -> bool:
        """Has `signum` been sent to the process and not yet acted on (SigPnd/ShdPnd)?"""
        process = self.proc(role)
        return bool(process and process.pending(signum))

    def adopted(self, state: Optional[str] = None) -> list:
        """The orphans: children of the reaper other than the programs the lab started (in place
        the subreaper is their parent too) and a container's own deadline (its `sleep`)."""
        started = {self.roles.get(role) for role in self._programs}
        return [p for p in self.snapshot.children(self.roles["reaper"], state)
                if p.pid not in started and p.name != "sleep"]

    def reaper(self) -> Optional[Process]:
        """The process that adopts orphans: PID 1 of a container, or the subreaper in place."""
        return self.snapshot.pid(self.roles["reaper"])

    def reaper_is_expected(self) -> bool:
        """The reaper is the program this place says it is (tini, `sleep`, proclab's supervisor),
        by its name and command line in the table."""
        reaper = self.reaper()
        return bool(reaper) and self.place.reaper_program.is_it(reaper)

    def zombies(self) -> list:
        return self.snapshot.zombies()

    def exit_code(self, role: str) -> Optional[int]:
        """The exit status of a program the lab started, None while it runs."""
        return self._programs[role].exit_code()

    def output(self, role: str) -> str:
        """What a program the lab started has printed so far (stdout and stderr)."""
        return self._programs[role].output

    def printed(self, role: str, line: str) -> bool:
        """Has the program printed exactly this line?"""
        return line in self.output(role).splitlines()

    def read(self, name: str) -> Optional[str]:
        """The text of a file in the sandbox's working directory (or an absolute path), or None
        if it cannot be read.

        This is evidence the program cannot fake by printing: the lock lab counts tickets here.
        """
        return self._sandbox.read_file(posixpath.join(self._sandbox.workdir, name), 1 << 20)


Test = Callable[[World], Any]


@dataclass(frozen=True)
class Check:
    """A claim of the narration, checked from the host.

    `says` (a `T`, or a `ByBackend` of `T`) may name roles and the place's fields in braces
    ("PID {zombie} is still a zombie", "PPID {reaper}"). If `bind` is given, the
    process the test returns is named so for later steps. With `hold`, the claim must keep
    holding for that many seconds (for claims about time: "it stays a zombie").
    """

    says: Any
    test: Test
    bind: Optional[str] = None
    timeout: float = 10.0
    hold: float = 0.0


@dataclass(frozen=True)
class Run:
    """Start a program from lab/labs/programs/ as the student, and name its process `role`."""

    role: str
    program: str  # relative to lab/labs/programs/, e.g. "zombie/zombie.py"
    args: tuple = ()


@dataclass(frozen=True)
class Shell:
    """Run a command as the student, shown with its output ("$ kill -9 {zombie}").

    No shell runs it: a `sh -c` would show up in the table, and would match `pkill -f`. A
    `ByBackend` of commands where the same command would show something else in place (a `ps`
    of the whole host, say). Braces name roles and the place's fields (`{uid}`).
    """

    command: Any  # str, or a ByBackend of str


@dataclass(frozen=True)
class Box:
    """A sandbox of the lab. `init` picks its reaper: one that reaps orphans (tini as PID 1 of a
    container, our subreaper in place) or one that never does (a plain `sleep` as PID 1)."""

    init: bool = True


@dataclass(frozen=True)
class Step:
    """Texts are a `T`, or a `ByBackend` of `T`; they may name roles and the place's fields.
    `checks` is a tuple, or a `ByBackend` of tuples where what can be claimed differs."""

    title: Any
    say: Any
    do: tuple = ()
    checks: Any = ()
    never: Optional[Check] = None  # must not hold in any snapshot taken during the step
    show: tuple = ("zombies", "ps")  # views of the process table, see runner.VIEWS
    box: str = "main"


@dataclass(frozen=True)
class Lab:
    """`summary` is a plain `T` (`proclab lab --list` has no backend); `intro` and `outro` may be a
    `ByBackend`. None of the three names a field: they are read before any sandbox exists."""

    name: str
    summary: T
    intro: Any
    steps: tuple
    outro: Any
    boxes: dict = field(default_factory=lambda: {"main": Box()})
