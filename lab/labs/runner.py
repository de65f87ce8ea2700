"""Walks a student through a lab: narration, action, the live table, and a host-side check.

Every claim is checked against the observed process table before the lab goes on; a claim that
is not observed within its deadline ends the lab with the expected state, what was seen, and a
non-zero exit.
"""

import select
import shlex
import sys
import textwrap
import time
from pathlib import Path
from typing import Callable

from lab.errors import NotObserved, ProclabError
from lab.labs.model import ByBackend, Check, Lab, Run, Step, T, World, on
from lab.labs.places import place_of
from lab.observe import Observer
from lab.sandbox import Engine

PROGRAMS = Path(__file__).resolve().parent / "programs"
WIDTH = 78

# The views of the process table a step can show, run in the sandbox as the student would: what
# one would type in a container, and the command that shows it. In place a `ps` would show the
# whole machine: the command is limited to the sandbox there (Place.scope).
VIEWS = {
    "zombies": ("ps aux | grep Z", "proclab ps --zombies"),
    "ps": ("proclab ps", "proclab ps"),
    "tree": ("pstree -p", "proclab ps --tree"),
}

# What the runner itself says, in each language.
SAYS = {
    "step": T("Step {number}/{total}", "第 {number}/{total} 步"),
    "started": T("started {role}: PID {pid}", "已启动 {role}：PID {pid}"),
    "observed": T("✔ observed: {claim}  ({seconds:.2f} s)", "✔ 已观察到：{claim}  （{seconds:.2f} 秒）"),
    "never_seen": T("✔ never observed: {claim}  ({count} snapshots)", "✔ 始终未出现：{claim}  （{count} 次快照）"),
    "within": T("expected {claim} within {seconds:g} s, but it was not observed",
                "预期在 {seconds:g} 秒内观察到：{claim}，但没有观察到"),
    "for": T("expected {claim} for {seconds:g} s, but it stopped holding",
             "预期持续 {seconds:g} 秒：{claim}，但中途不再成立"),
    "never": T("expected never to see {claim}, but it was seen",
               "预期始终不会出现：{claim}，但它出现了"),
    "last_table": T("last process table seen:", "最后看到的进程表："),
    "here": T("# here:", "# 这里用："),
    "nothing": T("(nothing)", "（无）"),
    "enter": T("⏎  Enter for the next step ", "⏎  按回车进入下一步 "),
    "failed": T("proclab lab {name}: step {number} failed: its claim was not observed.",
                "proclab lab {name}：第 {number} 步失败：没有观察到所声称的状态。"),
    "explore": ByBackend(
        docker=T(
            "Explore by hand: `make shell` opens a container where a zombie maker runs;\n"
            "type `ps aux | grep Z` or `proclab ps --tree` there.",
            "动手探索：`make shell` 会打开一个正在制造僵尸进程的容器；\n"
            "在里面输入 `ps aux | grep Z` 或 `proclab ps --tree` 看看。",
        ),
        local=T(
            "Explore by hand: start a lab's program yourself, e.g.\n"
            "`python3 lab/labs/programs/zombie/zombie.py &`, and look at it with\n"
            "`proclab ps --tree --under $!` or `proclab ps --zombies`; `kill -USR1 <parent>`\n"
            "has it reap its zombie. Here `ps aux` lists every process of the machine.",
            "动手探索：自己启动实验里的程序，例如\n"
            "`python3 lab/labs/programs/zombie/zombie.py &`，再用 `proclab ps --tree --under $!`\n"
            "或 `proclab ps --zombies` 查看它；`kill -USR1 <父进程>` 让它回收自己的僵尸子进程。"
            "在这里 `ps aux` 会列出整台机器的所有进程。",
        ),
    ),
}


def lab_program(relative: str) -> Path:
    """Where the program a lab names lives on the host (lab/labs/programs/)."""
    return PROGRAMS / relative


def wrap(text: str, lang: str) -> str:
    """Fill a paragraph. Chinese has no spaces to break at: the terminal wraps it."""
    return text if lang == "zh" else textwrap.fill(text, WIDTH)


class Session:
    """The sandboxes, observers and named processes of one lab run."""

    def __init__(self, lab: Lab, engine: Engine, out, lang: str, programs: Callable[[str], Path]):
        self.lab = lab
        self.engine = engine
        self.out = out
        self.lang = lang
        self.programs_on_host = programs
        self.backend = engine.name  # "docker" or "local": picks the variant of a ByBackend
        self.boxes = {}  # box name -> (Sandbox, Observer), started when first used
        self.places = {}  # box name -> its Place: what is true there, for texts and checks
        self.place = None  # the current box's
        self.roles = {}  # role -> PID inside its sandbox ("reaper": the current box's)
        self.role_boxes = {}  # role -> the box it lives in (PIDs repeat across containers)
        self.programs = {}  # role -> Exec
        self.printed = {}  # role -> how much of its output was shown

    def box(self, name: str):
        """The box's sandbox and observer, started when first used; it becomes the current box,
        whose reaper the role ``reaper`` names."""
        if name not in self.boxes:
            reaps = self.lab.boxes[name].init
            sandbox = self.engine.sandbox(f"lab:{self.lab.name}", reaper=reaps)
            self.boxes[name] = (sandbox, Observer(sandbox))
            self.places[name] = place_of(sandbox, reaps)
        self.roles["reaper"] = self.boxes[name][0].reaper
        self.place = self.places[name]
        return self.boxes[name]

    def text(self, text) -> str:
        """A text of the lab (a T, or a ByBackend of T) as it reads here, with roles and the
        current place's fields filled in."""
        return on(text, self.backend)(self.lang).format(**self.roles, **self.place.fields(self.lang))

    def say(self, key: str, **values) -> str:
        return on(SAYS[key], self.backend)(self.lang).format(**values)

    # -- actions -------------------------------------------------------------------------------

    def run(self, action: Run, box_name: str) -> None:
        sandbox, observer = self.box(box_name)
        path = sandbox.install(Path(action.program).name, self.programs_on_host(action.program).read_bytes())
        argv = ["python3", path, *map(str, action.args)]
        taken = {pid for role, pid in self.roles.items() if self.role_boxes.get(role) == box_name}
        self.out(f"  $ {shlex.join(argv)} &")
        program = self.programs[action.role] = sandbox.start(argv)
        pid = program.pid  # known where the backend reports it (in place)
        if pid is None:
            # Else it is found in the table: the process with its command line whose parent is
            # the one every started program has. A child it forked runs the same command line,
            # and may be all there is to see if the program exits at once (init/orphans.py).
            pid = observer.wait_for(
                lambda s: next((p.pid for p in s if list(p.cmdline) == argv and p.pid not in taken
                                and p.ppid == self.place.started_ppid), None),
                10, f"the program {shlex.join(argv)} to start",
            )
        self.roles[action.role] = pid
        self.role_boxes[action.role] = box_name
        self.out("    " + self.say("started", role=action.role, pid=pid))

    def shell(self, action, box_name: str) -> None:
        sandbox, _ = self.box(box_name)
        command = on(action.command, self.backend).format(**self.roles, **self.place.fields("en"))
        self.out(f"  $ {command}")
        _, output = sandbox.run(shlex.split(command))
        if output.strip():
            self.out(textwrap.indent(output.rstrip(), "    "))

    def show_output(self) -> None:
        """New lines the lab's programs printed, prefixed with who printed them."""
        for role, program in self.programs.items():
            text = program.output
            new, self.printed[role] = text[self.printed.get(role, 0):], len(text)
            for line in new.splitlines():
                self.out(f"    {role} │ {line}")

    # -- checks --------------------------------------------------------------------------------

    def test(self, check: Check, box_name: str):
        """`check.test` as a condition on snapshots of the box."""
        sandbox, _ = self.box(box_name)
        place = self.places[box_name]
        return lambda snapshot: check.test(World(snapshot, self.roles, self.programs, sandbox, place))

    def check(self, check: Check, box_name: str) -> None:
        _, observer = self.box(box_name)
        started = time.monotonic()
        found = observer.wait_for(self.test(check, box_name), check.timeout, self.text(check.says))
        if check.bind:
            self.roles[check.bind] = found.pid
            self.role_boxes[check.bind] = box_name
        if check.hold:
            observer.holds_for(self.test(check, box_name), check.hold, self.text(check.says))
        seconds = time.monotonic() - started
        self.out("  " + self.say("observed", claim=self.text(check.says), seconds=seconds))

    def show(self, views: tuple, box_name: str) -> None:
        sandbox, _ = self.box(box_name)
        for view in views:
            title, command = VIEWS[view]
            command = self.place.scope(command)
            code, output = sandbox.run(shlex.split(command))
            if code != 0:  # the lab's own view is broken: not a claim the student could get wrong
                raise ProclabError(f"the view `{command}` failed with status {code}: {output.strip()[-300:]}")
            here = "" if title == command else f"      {self.say('here')} {command}"
            self.out(f"\n  $ {title}{here}")
            self.out(textwrap.indent(output.rstrip() or self.say("nothing"), "    "))

    def step(self, number: int, step: Step) -> None:
        _, observer = self.box(step.box)
        title = self.say("step", number=number, total=len(self.lab.steps))
        self.out(f"\n━━ {title} · {self.text(step.title)} " + "━" * 8)
        self.out(wrap(self.text(step.say), self.lang) + "\n")
        watch = observer.watch(self.test(step.never, step.box)) if step.never else None
        try:
            for action in step.do:
                (self.run if isinstance(action, Run) else self.shell)(action, step.box)
            for check in on(step.checks, self.backend):
                self.check(check, step.box)
        finally:
            self.show_output()
            if watch:
                observer.unwatch(watch)
        if watch:
            claim = self.text(step.never.says)
            watch.check(claim)
            self.out("  " + self.say("never_seen", claim=claim, count=watch.seen))
        self.show(step.show, step.box)


def wait_for_enter(prompt: str) -> None:
    """Like input(), but a Ctrl-C or SIGTERM that lands just before the read starts still
    interrupts it: the read is entered only once select() says a line is there."""
    print(prompt, end="", flush=True)
    while not select.select([sys.stdin], [], [], 0.5)[0]:
        pass  # each timeout returns to Python, which then raises a pending KeyboardInterrupt
    sys.stdin.readline()


def run_lab(
    lab: Lab,
    engine: Engine,
    fast: bool = False,
    out=print,
    lang: str = "en",
    programs: Callable[[str], Path] = lab_program,
) -> bool:
    """Run `lab` to the end; True when every claim was observed.

    `programs` maps the program names in the lab to files on the host; tests swap in programs
    that break a claim, to see the lab fail.
    """
    session = Session(lab, engine, out, lang, programs)
    out(f"proclab lab {lab.name}: {lab.summary(lang)}\n")
    out(wrap(on(lab.intro, session.backend)(lang), lang))
    for number, step in enumerate(lab.steps, 1):
        try:
            session.step(number, step)
        except NotObserved as failure:
            what = session.say(failure.how, claim=failure.claim, seconds=failure.seconds)
            out(f"\n  ✘ {what}\n  {session.say('last_table')}\n{failure.last_table}")
            out("\n" + session.say("failed", name=lab.name, number=number))
            return False
        if not fast and number < len(lab.steps) and sys.stdin.isatty():
            wait_for_enter("\n  " + session.say("enter"))
    out("\n" + wrap(on(lab.outro, session.backend)(lang), lang))
    out("\n" + session.say("explore"))
    return True
