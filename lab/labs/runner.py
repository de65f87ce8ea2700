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

from lab.errors import NotObserved
from lab.labs.model import Check, Lab, Run, Step, T, World
from lab.observe import Observer
from lab.runtime import Runtime

PROGRAMS = Path(__file__).resolve().parent / "programs"
WIDTH = 78

# The views of the process table a step can show, run inside the container as the student would.
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
    "explore": T(
        "Explore by hand: `make shell` opens a container where a zombie maker runs;\n"
        "type `ps aux | grep Z` or `proclab ps --tree` there.",
        "动手探索：`make shell` 会打开一个正在制造僵尸进程的容器；\n"
        "在里面输入 `ps aux | grep Z` 或 `proclab ps --tree` 看看。",
    ),
}


def lab_program(relative: str) -> Path:
    """Where the program a lab names lives on the host (lab/labs/programs/)."""
    return PROGRAMS / relative


def wrap(text: str, lang: str) -> str:
    """Fill a paragraph. Chinese has no spaces to break at: the terminal wraps it."""
    return text if lang == "zh" else textwrap.fill(text, WIDTH)


class Session:
    """The containers, observers and named processes of one lab run."""

    def __init__(self, lab: Lab, runtime: Runtime, out, lang: str, programs: Callable[[str], Path]):
        self.lab = lab
        self.runtime = runtime
        self.out = out
        self.lang = lang
        self.programs_on_host = programs
        self.boxes = {}  # box name -> (Sandbox, Observer), started when first used
        self.roles = {}  # role -> PID inside its container
        self.role_boxes = {}  # role -> the box it lives in (PIDs repeat across containers)
        self.programs = {}  # role -> Exec
        self.printed = {}  # role -> how much of its output was shown

    def box(self, name: str):
        if name not in self.boxes:
            sandbox = self.runtime.sandbox(f"lab:{self.lab.name}", init=self.lab.boxes[name].init)
            self.boxes[name] = (sandbox, Observer(sandbox))
        return self.boxes[name]

    def text(self, text: T) -> str:
        return text(self.lang).format(**self.roles)

    def say(self, key: str, **values) -> str:
        return SAYS[key](self.lang).format(**values)

    # -- actions -------------------------------------------------------------------------------

    def run(self, action: Run, box_name: str) -> None:
        sandbox, observer = self.box(box_name)
        source = self.programs_on_host(action.program)
        path = sandbox.install(Path(action.program).name, str(source))
        argv = ["python3", path, *map(str, action.args)]
        taken = {pid for role, pid in self.roles.items() if self.role_boxes[role] == box_name}
        self.out(f"  $ {shlex.join(argv)} &")
        self.programs[action.role] = sandbox.start(argv)
        process = observer.wait_for(
            lambda s: next((p for p in s if list(p.cmdline) == argv and p.pid not in taken), None),
            10, f"the program {shlex.join(argv)} to start",
        )
        self.roles[action.role] = process.pid
        self.role_boxes[action.role] = box_name
        self.out("    " + self.say("started", role=action.role, pid=process.pid))

    def shell(self, action, box_name: str) -> None:
        sandbox, _ = self.box(box_name)
        command = action.command.format(**self.roles)
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
        return lambda snapshot: check.test(World(snapshot, self.roles, self.programs, sandbox))

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
            _, output = sandbox.run(shlex.split(command))
            here = "" if title == command else f"      {self.say('here')} {command}"
            self.out(f"\n  $ {title}{here}")
            self.out(textwrap.indent(output.rstrip() or self.say("nothing"), "    "))

    def step(self, number: int, step: Step) -> None:
        title = self.say("step", number=number, total=len(self.lab.steps))
        self.out(f"\n━━ {title} · {self.text(step.title)} " + "━" * 8)
        self.out(wrap(self.text(step.say), self.lang) + "\n")
        _, observer = self.box(step.box)
        watch = observer.watch(self.test(step.never, step.box)) if step.never else None
        try:
            for action in step.do:
                (self.run if isinstance(action, Run) else self.shell)(action, step.box)
            for check in step.checks:
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
    runtime: Runtime,
    fast: bool = False,
    out=print,
    lang: str = "en",
    programs: Callable[[str], Path] = lab_program,
) -> bool:
    """Run `lab` to the end; True when every claim was observed.

    `programs` maps the program names in the lab to files on the host; tests swap in programs
    that break a claim, to see the lab fail.
    """
    session = Session(lab, runtime, out, lang, programs)
    out(f"proclab lab {lab.name}: {lab.summary(lang)}\n")
    out(wrap(lab.intro(lang), lang))
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
    out("\n" + wrap(lab.outro(lang), lang))
    out("\n" + session.say("explore"))
    return True
