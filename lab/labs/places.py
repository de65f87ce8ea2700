"""Where a lab's programs run, and what is true there: one `Place` per box of a lab run.

A container (`--backend docker`) is a PID namespace of its own: PID 1 adopts orphans -- tini
(Docker's --init), which reaps them, or the container's `sleep`, which never does -- a program
the lab starts with `docker exec` has PPID 0 (its parent is outside the namespace), and `ps`
shows the container and nothing else. In place (`--backend local`) proclab's supervisor, a
Python process that set PR_SET_CHILD_SUBREAPER, adopts the orphans of the lab's programs instead
of PID 1 (it reaps them, or is told never to), it is the parent of every program the lab starts,
and `ps` shows the whole machine, so the lab's views of the table ask for the supervisor's
subtree (`proclab ps --under`).

Texts name these facts in braces (`FIELDS`); checks compare with them through `World.place`.
"""

from dataclasses import dataclass

from lab.labs.model import T
from lab.procfs import Process


@dataclass(frozen=True)
class Reaper:
    """The program that adopts a sandbox's orphans, as the narration names it and the table shows it."""

    name: T
    comm: str  # the kernel's name for it starts so ("python" in place: python3, or a venv's python)
    runs: str = ""  # a word its command line ends an argument with (the supervisor's file)

    def is_it(self, process: Process) -> bool:
        return process.name.startswith(self.comm) and (
            not self.runs or any(arg.endswith(self.runs) for arg in process.cmdline))


SUPERVISOR = Reaper(T("proclab's supervisor", "proclab 的监督进程"), "python", "supervisor.py")
# By backend, and by whether the reaper reaps orphans (Box.init).
REAPERS = {
    ("docker", True): Reaper(T("docker-init (tini)", "docker-init（tini）"), "docker-init"),
    ("docker", False): Reaper(T("sleep", "sleep"), "sleep"),
    ("local", True): SUPERVISOR,
    ("local", False): SUPERVISOR,
}
# Whether a `ps` there shows more than the sandbox: in place it shows the whole machine.
SCOPED = {"docker": False, "local": True}
# What a text may name in braces besides the roles (and `reaper`, the reaper's PID, a role).
FIELDS = ("reaper_name", "started_ppid", "uid")


@dataclass(frozen=True)
class Place:
    """What is true in one sandbox of a lab run, for its texts and its checks."""

    backend: str  # "docker" or "local"
    reaps: bool  # whether the reaper reaps orphans (Box.init)
    reaper: int  # the PID of the process that adopts orphans: 1 in a container
    reaper_program: Reaper  # which program that is
    started_ppid: int  # the PPID of a program the lab starts: 0 under docker exec, else the reaper
    uid: int  # the student's uid
    scoped: bool  # whether a `ps` there shows more than the sandbox (then: `--under reaper`)

    def fields(self, lang: str) -> dict:
        """The values of `FIELDS` in `lang`."""
        return {"reaper_name": self.reaper_program.name(lang), "started_ppid": self.started_ppid,
                "uid": self.uid}

    def scope(self, command: str) -> str:
        """A `proclab ps` command limited to the sandbox where `ps` would show more."""
        return f"{command} --under {self.reaper}" if self.scoped else command


def place_of(sandbox, reaps: bool) -> Place:
    """The place of a running sandbox, whose reaper reaps orphans or not."""
    return Place(
        backend=sandbox.backend,
        reaps=reaps,
        reaper=sandbox.reaper,
        reaper_program=REAPERS[sandbox.backend, reaps],
        started_ppid=sandbox.started_ppid,
        uid=sandbox.student_uid,
        scoped=SCOPED[sandbox.backend],
    )
