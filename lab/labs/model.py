"""What a lab is made of. A lab is data: boxes (containers), then numbered steps, each with
narration, actions, and the checks of what the narration claims.

A check is a sentence and a test over a `World` (the observed process table plus the names the
lab gave to processes). The runner polls snapshots until the test holds or its deadline passes.

Every sentence a student reads is a `T`: English and Chinese side by side (the tutorial the
course follows is Chinese). Both are required, and a test checks every lab for them.
"""

from dataclasses import dataclass, field
from typing import Any, Callable, NamedTuple, Optional

from lab.procfs import Process

LANGUAGES = ("en", "zh")


class T(NamedTuple):
    """One text in every language of the labs. Braces name roles: "PID {zombie}"."""

    en: str
    zh: str

    def __call__(self, lang: str) -> str:
        return getattr(self, lang)


class World:
    """What a check can see: one snapshot, the processes the lab has named (roles), the
    programs it started (their exit status and output), and files in the container."""

    def __init__(self, snapshot, roles: dict, programs: dict, sandbox):
        self.snapshot = snapshot
        self.roles = roles
        self._programs = programs
        self._sandbox = sandbox

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
        """Children of PID 1 other than the container's own deadline (`sleep`): the orphans."""
        return [p for p in self.snapshot.children(1, state) if p.name != "sleep"]

    def pid1(self) -> Optional[Process]:
        return self.snapshot.pid(1)

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

    def read(self, path: str) -> Optional[str]:
        """The text of a file in the container, or None if it cannot be read.

        This is evidence the program cannot fake by printing: the lock lab counts tickets here.
        """
        code, text = self._sandbox.run(["cat", path])
        return text if code == 0 else None


Test = Callable[[World], Any]


@dataclass(frozen=True)
class Check:
    """A claim of the narration, checked from the host.

    `says` may name roles in braces ("PID {zombie} is still a zombie"). If `bind` is given, the
    process the test returns is named so for later steps. With `hold`, the claim must keep
    holding for that many seconds (for claims about time: "it stays a zombie").
    """

    says: T
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

    No shell runs it: a `sh -c` would show up in the table, and would match `pkill -f`.
    """

    command: str


@dataclass(frozen=True)
class Box:
    """A container of the lab. `init` picks PID 1: tini (reaps orphans) or a plain `sleep` (never does)."""

    init: bool = True


@dataclass(frozen=True)
class Step:
    title: T
    say: T
    do: tuple = ()
    checks: tuple = ()
    never: Optional[Check] = None  # must not hold in any snapshot taken during the step
    show: tuple = ("zombies", "ps")  # views of the process table, see runner.VIEWS
    box: str = "main"


@dataclass(frozen=True)
class Lab:
    name: str
    summary: T
    intro: T
    steps: tuple
    outro: T
    boxes: dict = field(default_factory=lambda: {"main": Box()})
