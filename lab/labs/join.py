"""Lab: where join() is called decides whether children overlap -- total ≈ the longest, or the sum."""

import re
from typing import Optional

from lab.labs.model import ByBackend, Check, Lab, Run, Step, T, World, cat

WORK = (1, 2, 3)  # seconds of simulated work, one child each
LONGEST, SUM = max(WORK), sum(WORK)
# Bounds on the totals the programs measure. Sleeps cannot end early, so the lower bounds only
# allow for rounding; the upper bound leaves 1.5 s for a loaded machine, and a program that runs
# its children one after the other (6 s) is still far above it.
TOGETHER_LOW, TOGETHER_HIGH = 0.95 * LONGEST, 0.75 * SUM
ONE_BY_ONE_LOW = 0.95 * SUM
# All children overlap only while the shortest works: looking longer cannot help, and a wrong
# program then fails while it still runs, its table showing the single child it has.
OVERLAP_SECONDS = min(WORK) + 1.5


def working_child(w: World, role: str):
    """One child of `role` still working, or None."""
    return next(iter(w.living_children(role)), None)


def measured_total(w: World, role: str) -> Optional[float]:
    """The time the program measured for all its children, from its line `total: <s> s`.

    A printout is evidence only of what the program computed itself: its own wall time. The
    table is what shows that the children overlapped, or did not.
    """
    found = re.search(r"^total: ([0-9.]+) s$", w.output(role), re.MULTILINE)
    return float(found.group(1)) if found else None


def finished_within(role: str, low: float, high: float = float("inf")):
    """A test: `role` exited 0 and measured a total in [low, high)."""
    def test(w: World) -> bool:
        total = measured_total(w, role)
        return w.exit_code(role) == 0 and total is not None and low <= total < high
    return test


def two_children_at_once(w: World) -> bool:
    """What scenario two must never show.

    The watch starts before the program does, while its role has no PID yet.
    """
    return "one_by_one" in w.roles and len(w.children("one_by_one")) >= 2


NEVER_TWO = Check(T("two children of PID {one_by_one} at the same time",
                    "PID {one_by_one} 同时有两个子进程"), two_children_at_once)

LAB = Lab(
    name="join",
    summary=T(
        "join(): start all, then join all (total ≈ the longest child), or join each before "
        "the next (total ≈ the sum)",
        "join()：先全部启动再逐个 join（总耗时≈最慢的子进程），还是启动一个就 join 一个"
        "（总耗时≈各子进程之和）",
    ),
    intro=cat(
        T(f"p.join() makes the parent wait until child p has ended (and reaps it). Where you call "
          f"it decides whether children run side by side or one after the other. The tutorial's "
          f"two scenarios, with three children that work {WORK[0]}, {WORK[1]} and {WORK[2]} s: "
          f"scenario one starts all three and then joins them; scenario two starts one and joins "
          f"it before it starts the next. Each parent times itself. The work is a sleep, i.e. "
          f"work that waits (like I/O)",
          f"p.join() 让父进程等待子进程 p 结束（并回收它）。join() 在哪里调用，决定了子进程是"
          f"同时运行还是一个接一个地运行。教程里的两个场景，三个子进程分别工作 {WORK[0]}、"
          f"{WORK[1]}、{WORK[2]} 秒：场景一先把三个子进程都启动，再逐个 join；场景二启动一个就 "
          f"join 一个，它结束后才启动下一个。每个父进程自己计时。这里的“工作”用 sleep 模拟，"
          f"也就是需要等待的工作（比如 I/O）"),
        ByBackend(
            docker=T(": the lab's container gets one CPU's worth of time (--cpus=1), and children "
                     "that compute would take turns instead of overlapping.",
                     "：本实验的容器总共只分到一个 CPU 的时间（--cpus=1），做计算的子进程只能轮流运行，"
                     "并不能真正同时进行。"),
            local=T(": in place the children share this machine's CPUs with everything else "
                    "running on it, so children that compute would overlap only as far as CPUs "
                    "are free, and their times would depend on the machine's load.",
                    "：在本机原地运行时，子进程要和机器上的其他程序共用 CPU，做计算的子进程只有在有"
                    "空闲 CPU 时才能同时运行，耗时也会取决于机器的负载。"),
        ),
    ),
    steps=(
        Step(
            title=T("Scenario one: start all three, then join", "场景一：先全部启动，再逐个 join"),
            say=T("The parent calls start() on all three children, and only then join() on each, "
                  "in order. While it waits in the first join(), the other two are already "
                  "working.",
                  "父进程先对三个子进程都调用 start()，然后才依次对每个调用 join()。"
                  "当它还在第一个 join() 里等待时，另外两个子进程已经在工作了。"),
            do=(Run("together", "join/together.py", WORK),),
            checks=(Check(T("three children of PID {together} working at the same time",
                            "PID {together} 的三个子进程同时在工作"),
                          lambda w: len(w.living_children("together")) == len(WORK),
                          timeout=OVERLAP_SECONDS),),
            show=("tree",),
        ),
        Step(
            title=T("Scenario one: the total is about the longest child",
                    "场景一：总耗时约等于最慢的子进程"),
            say=T(f"Each join() returns when its child ends, and by then the others have been "
                  f"working too. The parent waits about {LONGEST} s, the longest child, not the "
                  f"{SUM} s the work adds up to.",
                  f"每个 join() 在对应的子进程结束时返回，而此时其他子进程也一直在工作。"
                  f"父进程总共只等了约 {LONGEST} 秒，即最慢子进程的时间，"
                  f"而不是所有工作时间之和 {SUM} 秒。"),
            checks=(Check(T(f"the parent {{together}} exited 0 and measured a total from {TOGETHER_LOW:g} s "
                            f"to under {TOGETHER_HIGH:g} s: about the longest child ({LONGEST} s), "
                            f"well under the sum ({SUM} s)",
                            f"父进程 {{together}} 以状态 0 退出，测得总耗时不少于 {TOGETHER_LOW:g} 秒、"
                            f"不到 {TOGETHER_HIGH:g} 秒：约等于最慢子进程（{LONGEST} 秒），"
                            f"远小于总和（{SUM} 秒）"),
                          finished_within("together", TOGETHER_LOW, TOGETHER_HIGH)),),
            show=(),
        ),
        Step(
            title=T("Scenario two: start one, join it, then the next",
                    "场景二：启动一个，join 一个，再启动下一个"),
            say=T("This parent calls join() right after each start(): it waits for that child to "
                  "end before it starts the next. The observer examines every snapshot of this "
                  "step and the next: two children of this parent must never be seen at once.",
                  "这个父进程在每次 start() 之后立即调用 join()：等这个子进程结束，才启动下一个。"
                  "观察器会检查这一步和下一步的每一次快照：绝不能同时看到这个父进程的两个子进程。"),
            do=(Run("one_by_one", "join/one_by_one.py", WORK),),
            checks=(
                Check(T("the first child of PID {one_by_one} working",
                        "PID {one_by_one} 的第一个子进程在工作"),
                      lambda w: working_child(w, "one_by_one"), bind="first"),
                Check(T("PID {first} ended and reaped; the second child working",
                        "PID {first} 已结束并被回收；第二个子进程在工作"),
                      lambda w: w.gone("first") and working_child(w, "one_by_one"),
                      bind="second"),
                Check(T("PID {second} ended and reaped; the third child working",
                        "PID {second} 已结束并被回收；第三个子进程在工作"),
                      lambda w: w.gone("second") and working_child(w, "one_by_one")),
            ),
            never=NEVER_TWO,
            show=("tree",),
        ),
        Step(
            title=T("Scenario two: the total is the sum", "场景二：总耗时等于各子进程之和"),
            say=T(f"The children worked one after the other, so the parent waited for all of "
                  f"their times added up: {' + '.join(map(str, WORK))} = {SUM} s.",
                  f"子进程是一个接一个工作的，所以父进程等待的是它们的时间之和："
                  f"{' + '.join(map(str, WORK))} = {SUM} 秒。"),
            checks=(Check(T(f"the parent {{one_by_one}} exited 0 and measured a total of at least "
                            f"{ONE_BY_ONE_LOW:g} s: the sum of the children's times ({SUM} s)",
                            f"父进程 {{one_by_one}} 以状态 0 退出，测得总耗时至少 {ONE_BY_ONE_LOW:g} 秒："
                            f"即各子进程时间之和（{SUM} 秒）"),
                          finished_within("one_by_one", ONE_BY_ONE_LOW)),),
            never=NEVER_TWO,
            show=(),
        ),
    ),
    outro=T(
        "When the children's work is independent, start them all and then join them all: the "
        "parent waits only for the slowest. join() right after start() makes the program "
        "sequential, with a process per task and nothing gained. Either way every child is "
        "joined: join() also reaps it, so no zombie is left behind.",
        "如果子进程的工作互不依赖，就先把它们全部启动，再全部 join：父进程只需等待最慢的那个。"
        "start() 之后紧接着 join()，程序就变成了串行执行：每个任务一个进程，却什么也没省下。"
        "无论哪种写法，每个子进程都要 join：join() 同时也会回收它，不会留下僵尸进程。",
    ),
)
