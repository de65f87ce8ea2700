"""Lab: three ways to reap children -- wait(), a SIGCHLD handler, and SIG_IGN.

What SIG_IGN does to Python's own waits (multiprocessing's exitcode and is_alive(), subprocess's
returncode) cannot be seen from outside: those checks read what the program prints, and compare
it with the table where they can (the child it calls alive is gone).
"""

import re
import signal
from typing import Optional

from lab.labs.claims import exited
from lab.labs.model import Check, Lab, Run, Shell, Step, T, World
from lab.procfs import Process

CHILDREN = 10
SIGCHLD = signal.SIGCHLD
SIGNAL_MASKS = "grep -E '^Sig(Cgt|Ign)' /proc/{%s}/status"
WAITING = "parent: calling os.wait()\n"  # the ignorer's last line while os.wait() blocks
MULTIPROCESSING_SAYS = re.compile(r"multiprocessing: child (\d+) called sys\.exit\(7\); join\(\) returned, "
                                  r"exitcode None, is_alive\(\) True")
ZOMBIE = Check(T("a zombie child of {ignorer}", "父进程 {ignorer} 的一个僵尸子进程"),
               lambda w: w.children("ignorer", state="Z"))


def children_started(role: str) -> Check:
    return Check(T(f"{CHILDREN} children of the parent {{{role}}}, each waiting (state S)",
                   f"父进程 {{{role}}} 的 {CHILDREN} 个子进程，每个都在等待（状态 S）"),
                 lambda w: len(w.children(role, state="S")) == CHILDREN)


def last_child(w: World) -> Optional[Process]:
    """The one child the ignorer has left, running; None while it has more (or a zombie)."""
    children = w.children("ignorer")
    return children[0] if len(children) == 1 and children == w.living_children("ignorer") else None


def alive_for_python(w: World) -> bool:
    """The ignorer says its multiprocessing child has exitcode None and is alive, and that child's
    PID is not in the table."""
    said = MULTIPROCESSING_SAYS.search(w.output("ignorer"))
    return bool(said) and w.snapshot.pid(int(said[1])) is None


def no_children_left(role: str) -> Check:
    return Check(T(f"no child of {{{role}}} left, not even a zombie, while {{{role}}} lives",
                   f"父进程 {{{role}}} 仍然存活，而它的子进程一个不剩，连僵尸进程也没有"),
                 lambda w: w.alive(role) and not w.children(role))


LAB = Lab(
    name="reap",
    summary=T(
        "reaping children: wait()/join(), a SIGCHLD handler, and SIGCHLD set to SIG_IGN",
        "回收子进程：wait()/join()、SIGCHLD 信号处理函数，以及把 SIGCHLD 设为 SIG_IGN",
    ),
    intro=T(
        f"A zombie stays until its parent collects it. Here one program shows three ways to "
        f"deal with that. Each time it starts {CHILDREN} children that block on one pipe; when "
        f"the parent closes the pipe, they exit at the same moment.",
        f"僵尸进程会一直存在，直到父进程回收它。这里用一个程序演示三种处理方式。每一次它都启动 "
        f"{CHILDREN} 个阻塞在同一个管道上的子进程；父进程关闭管道时，这些子进程会在同一时刻退出。",
    ),
    steps=(
        Step(
            title=T("wait(): children first", "wait()：先启动子进程"),
            say=T("The first parent will reap with os.wait(), the classic way (join() does the same).",
                  "第一个父进程将用经典的方式 os.wait() 来回收子进程（join() 做的也是同样的事）。"),
            do=(Run("waiter", "reap/reap.py", ("wait", CHILDREN)),),
            checks=(children_started("waiter"),),
            show=("tree",),
        ),
        Step(
            title=T("wait(): the children exit, and are zombies until the parent waits",
                    "wait()：子进程退出，在父进程等待之前都是僵尸进程"),
            say=T("The parent closes the pipe: all children exit. It has not called wait() yet.",
                  "父进程关闭管道：所有子进程退出。它还没有调用 wait()。"),
            do=(Shell("kill -USR1 {waiter}"),),
            checks=(Check(T(f"{CHILDREN} zombie children of {{waiter}}",
                            f"父进程 {{waiter}} 的 {CHILDREN} 个僵尸子进程"),
                          lambda w: len(w.children("waiter", state="Z")) == CHILDREN),),
        ),
        Step(
            title=T("wait(): the parent waits", "wait()：父进程等待"),
            say=T(f"The parent calls os.wait() {CHILDREN} times; each call collects one zombie.",
                  f"父进程调用 os.wait() {CHILDREN} 次；每次调用回收一个僵尸进程。"),
            do=(Shell("kill -USR1 {waiter}"),),
            checks=(no_children_left("waiter"),),
            show=("zombies",),
        ),
        Step(
            title=T("A SIGCHLD handler", "SIGCHLD 信号处理函数"),
            say=T("The kernel sends SIGCHLD to a parent whenever a child ends. This parent installs "
                  "a handler for it; /proc/<pid>/status shows the handler as bit 17 (SIGCHLD) of "
                  "the SigCgt mask ('signals caught').",
                  "每当子进程结束，内核都会向父进程发送 SIGCHLD 信号。这个父进程为它注册了一个信号"
                  "处理函数；在 /proc/<pid>/status 中，这个处理函数表现为 SigCgt 掩码（“已捕获的"
                  "信号”）的第 17 位（SIGCHLD）。"),
            do=(Shell("kill -USR1 {waiter}"),
                Run("handler", "reap/reap.py", ("handler", CHILDREN))),
            checks=(children_started("handler"),
                    Check(T("SIGCHLD caught by {handler} (SigCgt bit 17)",
                            "父进程 {handler} 捕获了 SIGCHLD（SigCgt 第 17 位）"),
                          lambda w: w.catches("handler", SIGCHLD))),
            show=(),
        ),
        Step(
            title=T("A SIGCHLD handler: many children exit at once",
                    "SIGCHLD 信号处理函数：许多子进程同时退出"),
            say=T(f"First its masks, as /proc shows them now. Then all {CHILDREN} children exit "
                  "at the same moment. Signals of one kind do not queue: the parent may get a "
                  "single SIGCHLD for all of them. The handler loops waitpid(-1, WNOHANG) until "
                  "nothing is left, so every child is reaped; the main flow never waits.",
                  f"先看看 /proc 现在显示的掩码。然后 {CHILDREN} 个子进程在同一时刻全部退出。同一种"
                  "信号不会排队：父进程可能只为它们全体收到一个 SIGCHLD。信号处理函数循环调用 "
                  "waitpid(-1, WNOHANG)，直到没有子进程可回收为止，因此每个子进程都会被回收；"
                  "主流程从不等待。"),
            do=(Shell(SIGNAL_MASKS % "handler"), Shell("kill -USR1 {handler}")),
            checks=(no_children_left("handler"),),
        ),
        Step(
            title=T("SIG_IGN: children that never become zombies",
                    "SIG_IGN：永远不会变成僵尸进程的子进程"),
            say=T("The last parent sets SIGCHLD to SIG_IGN. This tells the kernel that the parent "
                  "does not want its children's exit statuses: a child that exits is reaped at "
                  "once, by the kernel, and is never a zombie. SigIgn ('signals ignored') has bit "
                  "17 set. This parent keeps one child back: its last child waits for the lab, "
                  "not on the pipe.",
                  "最后一个父进程把 SIGCHLD 设为 SIG_IGN。这等于告诉内核：父进程不需要子进程的退出"
                  "状态。于是子进程一退出就由内核回收，从来不会成为僵尸进程。SigIgn（“被忽略的信号”）"
                  "的第 17 位被置位。这个父进程留了一个子进程：它的最后一个子进程不在管道上等待，"
                  "而是等待实验的指令。"),
            do=(Shell("kill -USR1 {handler}"),
                Run("ignorer", "reap/reap.py", ("ignore", CHILDREN))),
            checks=(children_started("ignorer"),
                    Check(T("SIGCHLD ignored by {ignorer} (SigIgn bit 17)",
                            "父进程 {ignorer} 忽略了 SIGCHLD（SigIgn 第 17 位）"),
                          lambda w: w.ignores("ignorer", SIGCHLD))),
            show=(),
        ),
        Step(
            title=T("SIG_IGN: no zombie, and wait() blocks", "SIG_IGN：没有僵尸进程，wait() 阻塞"),
            say=T(f"First its masks, as /proc shows them now. Then the parent closes the pipe: "
                  f"{CHILDREN - 1} children exit, the last one still waits. Then the parent calls "
                  "os.wait(). With SIGCHLD ignored, wait() does not return when a child exits: it "
                  "blocks until every child has ended. The observer looks at every snapshot: none "
                  "may show a zombie.",
                  f"先看看 /proc 现在显示的掩码。然后父进程关闭管道：{CHILDREN - 1} 个子进程退出，"
                  "最后一个仍在等待。随后父进程调用 os.wait()。SIGCHLD 被忽略时，wait() 不会因为"
                  "某个子进程退出就返回：它会一直阻塞，直到所有子进程都结束。观察器检查每一次快照："
                  "任何一次都不允许出现僵尸进程。"),
            do=(Shell(SIGNAL_MASKS % "ignorer"), Shell("kill -USR1 {ignorer}")),
            checks=(Check(T(f"one child of {{ignorer}} left, running: the other {CHILDREN - 1} are "
                            "gone, reaped without a zombie",
                            f"{{ignorer}} 只剩一个子进程，仍在运行：另外 {CHILDREN - 1} 个已经消失，"
                            "被回收时没有留下僵尸进程"),
                          last_child, bind="last"),
                    Check(T("{ignorer} alive, its os.wait() not returned",
                            "{ignorer} 仍然存活，它调用的 os.wait() 还没有返回"),
                          lambda w: w.alive("ignorer") and w.output("ignorer").endswith(WAITING), hold=0.5)),
            never=ZOMBIE,
        ),
        Step(
            title=T("SIG_IGN: the last child ends, and wait() fails with ECHILD",
                    "SIG_IGN：最后一个子进程结束，wait() 以 ECHILD 失败"),
            say=T("We let the last child, {last}, exit. Only now does os.wait() return, and it "
                  "fails: no child is left to wait for, and no exit status was kept. Python "
                  "raises ChildProcessError (ECHILD).",
                  "我们让最后一个子进程 {last} 退出。直到这时 os.wait() 才返回，而且是失败返回：已经"
                  "没有可以等待的子进程，也没有保留任何退出状态。Python 抛出 ChildProcessError"
                  "（ECHILD）。"),
            do=(Shell("kill -USR1 {last}"),),
            checks=(Check(T("{last} gone", "{last} 已消失"), lambda w: w.gone("last")),
                    Check(T("the parent reports os.wait() failed with ECHILD",
                            "父进程报告 os.wait() 以 ECHILD 失败"),
                          lambda w: w.printed("ignorer", "parent: os.wait() failed: ECHILD (no children left)"))),
            never=ZOMBIE,
            show=("ps",),
        ),
        Step(
            title=T("SIG_IGN: what multiprocessing and subprocess report",
                    "SIG_IGN：multiprocessing 和 subprocess 报告了什么"),
            say=T("The parent starts a child with multiprocessing, and one with subprocess; each "
                  "exits with status 7, and the parent waits for both. Each wait gets ECHILD "
                  "instead of a status, and neither module says so: join() returns, exitcode "
                  "stays None and is_alive() stays True for a child that is gone; subprocess "
                  "reports returncode 0.",
                  "父进程用 multiprocessing 启动一个子进程，再用 subprocess 启动一个；两者都以"
                  "退出状态 7 结束，父进程等待它们。每次等待得到的都是 ECHILD，而不是退出状态，"
                  "可两个模块都不声张：join() 照常返回，而对一个早已消失的子进程，exitcode 一直是 "
                  "None，is_alive() 一直是 True；subprocess 则报告 returncode 为 0。"),
            do=(Shell("kill -USR1 {ignorer}"),),
            checks=(Check(T("multiprocessing says exitcode None and is_alive() True, for a child "
                            "gone from the table",
                            "multiprocessing 说 exitcode 为 None、is_alive() 为 True，而这个子进程"
                            "已不在进程表中"),
                          alive_for_python),
                    Check(T("subprocess reports returncode 0 for sh -c 'exit 7'",
                            "subprocess 对 sh -c 'exit 7' 报告 returncode 为 0"),
                          lambda w: w.printed("ignorer", "subprocess: sh -c 'exit 7' gave returncode 0")),
                    exited("ignorer")),
            never=ZOMBIE,
            show=("zombies",),
        ),
    ),
    outro=T(
        "wait()/join() when the parent knows when to wait; a looping SIGCHLD handler when it "
        "must not block; SIG_IGN when it never needs the exit statuses -- and then not with "
        "multiprocessing or subprocess, which need them: they report wrong values without a "
        "word of warning.",
        "父进程知道什么时候该等待时，用 wait()/join()；父进程不能阻塞时，用循环回收的 SIGCHLD "
        "信号处理函数；父进程永远不需要子进程的退出状态时，用 SIG_IGN——但这时就不要再用 "
        "multiprocessing 或 subprocess，它们需要退出状态：拿不到时，它们会一声不响地报告错误的值。",
    ),
)
