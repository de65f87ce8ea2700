"""How an exercise is declared: the runs the grader makes, and checks with points.

An exercise's ``checks.py`` builds one `Exercise` and decorates its checks, in the spirit of
xv6's gradelib::

    exercise = Exercise("zombie", T("Make a zombie, keep it, reap it", "制造一个僵尸进程，保留它，再回收它"))

    @exercise.check(points=3, title=T("the child becomes a zombie", "子进程成为僵尸进程"),
                    hint=T("do not wait for the child before 2 s have passed", "2 秒之前不要等待子进程"))
    def child_becomes_a_zombie(run):
        ...
        raise Failed(T("...", "..."), T("...", "..."), table=run.table_at(t))

Every text a student reads is a `T` (lab/text.py), English and Chinese side by side: the
grader gives feedback in the language the student asked for, and refuses a text in one only.

A check receives a `Run` (lab/grading/trace.py: everything the host observed during one run of
the submission) and passes by returning, fails by raising `Failed`. It is called once per trial
and passes only if it passes in every one: racy behaviour gets several chances to show itself,
as in the CS:APP shell lab's driver. `after=` names checks it builds on: when one of those
failed, this one is not evaluated and says why, instead of failing for a confusing reason.
"""

from dataclasses import dataclass, field
from typing import Callable, Optional

from lab.sandbox import Limits
from lab.text import T


def bilingual(value, what: str) -> T:
    """`value` if it is a `T`; a plain string would reach a Chinese reader in English only."""
    if not isinstance(value, T):
        raise TypeError(f"{what} must be a T(en, zh), not {type(value).__name__} {value!r:.80}")
    return value


@dataclass(frozen=True)
class Trial:
    """One run of the submission, in a fresh sandbox.

    `env` is its environment, `args` its command-line arguments, `files` the files (name ->
    text) placed in its working directory before it starts.
    """

    name: str = "run"
    env: dict = field(default_factory=dict)
    args: tuple = ()
    files: dict = field(default_factory=dict)


class Failed(AssertionError):
    """A check's verdict: what was expected, what was observed (each a `T`), and the table that shows it."""

    def __init__(self, expected: T, observed: T, table: Optional[str] = None):
        self.expected, self.observed = bilingual(expected, "expected"), bilingual(observed, "observed")
        self.table = table
        super().__init__(f"expected {expected.en}; observed {observed.en}")


@dataclass(frozen=True)
class Check:
    name: str  # the function's name: stable, used as a column of grades.csv
    title: T  # what a student reads
    points: int
    test: Callable
    after: tuple = ()  # Checks that must have passed for this one to be evaluated
    hint: Optional[T] = None  # the usual mistake behind a failure


@dataclass
class Exercise:
    """A graded exercise: what to run, how long it may take, and what is checked.

    * `time_limit`: seconds the main process may run; at the limit the sandbox is removed and
      the run counts as a time-out.
    * `linger`: after the main process exits, how long to keep watching for its descendants to
      end (an orphan's task may continue after its parent has gone).
    * `collect`: files of the working directory read back after the run.
    * `setup(live)`: called before the submission starts (to plant processes, say); what it
      returns is `Run.setup`. `drive(live)`: called once it has started (to send a signal).
    * `as_pid1`: the submission *is* the sandbox's init (PID 1 of a container, the subreaper in
      place), started with the trial's args; otherwise it is started in a running sandbox.
    * `reaper`: whether the sandbox's reaper reaps orphans (tini, or our subreaper). By default it
      never does: then a zombie nobody waited for stays in the table to the end, with its exit
      status — evidence that does not depend on catching a moment.
    * `sees_everything`: the observer records every process the submission can see, not only
      the sandbox's own (for an exercise whose program lists them all: ps).
    * `counts_pids`: checks count the PIDs the kernel handed out during the run, so no other
      sandbox of the grader runs beside it where PIDs are shared (in place).
    """

    name: str
    title: T
    trials: tuple = (Trial(),)
    time_limit: float = 15.0
    linger: float = 2.0
    limits: Limits = Limits(pids=128, memory="256m", cpus=1.0, wall_seconds=120, tmpfs="64m")
    collect: tuple = ()
    setup: Optional[Callable] = None
    drive: Optional[Callable] = None
    as_pid1: bool = False
    reaper: bool = False
    sees_everything: bool = False
    counts_pids: bool = False
    checks: list = field(default_factory=list)

    def __post_init__(self):
        bilingual(self.title, f"the title of exercise {self.name}")

    def check(self, points: int, title: T, after=(), hint: Optional[T] = None) -> Callable:
        """Declare the decorated function a check worth `points`, which a student knows by `title`."""

        def declare(test: Callable) -> Check:
            bilingual(title, f"the title of check {test.__name__}")
            if hint is not None:
                bilingual(hint, f"the hint of check {test.__name__}")
            dependencies = after if isinstance(after, (tuple, list)) else (after,)
            check = Check(test.__name__, title, points, test, tuple(dependencies), hint)
            self.checks.append(check)
            return check

        return declare

    def check_exit_status_0(self, title: T = T("the program exits with status 0", "程序以退出状态 0 退出"),
                            hint: T = T("the main program must end normally", "主程序必须正常结束"),
                            points: int = 1) -> Check:
        """Declare the check nearly every exercise ends with: the main process exits with status 0."""

        def exits_with_status_0(run):
            if run.exit_code != 0:
                raise Failed(T("exit status 0", "退出状态 0"), run.describe_end(), run.last_table.table())
            return run.exited_at

        return self.check(points, title=title, hint=hint)(exits_with_status_0)

    @property
    def max_score(self) -> int:
        return sum(check.points for check in self.checks)

    # A sandbox's start and removal, per trial, with room to spare: measured here at about 1 s
    # in a container and 0.6 s in place (make bench), on a loaded 2-core machine at most 3 s.
    SANDBOX_SECONDS = 5.0

    @property
    def worst_case_seconds(self) -> float:
        """The longest a grading can take: every trial to its time limit, its linger and the
        sandbox around it. A platform's time limit below this may cut a slow submission's
        grading short (then the student gets the platform's error instead of feedback)."""
        return len(self.trials) * (self.time_limit + self.linger + self.SANDBOX_SECONDS)
