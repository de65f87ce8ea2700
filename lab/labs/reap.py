"""Lab: three ways to reap children -- wait(), a SIGCHLD handler, and SIG_IGN."""

import signal

from lab.labs.model import Check, Lab, Run, Shell, Step, T

CHILDREN = 10
SIGCHLD = signal.SIGCHLD
SIGNAL_MASKS = "grep -E '^Sig(Cgt|Ign)' /proc/{%s}/status"


def children_started(role: str) -> Check:
    return Check(T(f"{CHILDREN} children of the parent {{{role}}}, each waiting on the pipe",
                   f"父进程 {{{role}}} 的 {CHILDREN} 个子进程，每个都在管道上等待"),
                 lambda w: len(w.children(role, state="S")) == CHILDREN)


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
        f"A zombie stays until its parent collects it. Here one program shows the three ways to "
        f"do that. Each time it starts {CHILDREN} children that block on one pipe; when the "
        f"parent closes the pipe, all {CHILDREN} exit at the same moment.",
        f"僵尸进程会一直存在，直到父进程回收它。这里用一个程序演示三种回收方式。每一次它都启动 "
        f"{CHILDREN} 个阻塞在同一个管道上的子进程；父进程关闭管道时，这 {CHILDREN} 个子进程会在"
        f"同一时刻全部退出。",
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
                Run("handler", "reap/reap.py", ("handler", CHILDREN)),
                Shell(SIGNAL_MASKS % "handler")),
            checks=(children_started("handler"),
                    Check(T("SIGCHLD caught by {handler} (SigCgt bit 17)",
                            "父进程 {handler} 捕获了 SIGCHLD（SigCgt 第 17 位）"),
                          lambda w: w.catches("handler", SIGCHLD))),
            show=(),
        ),
        Step(
            title=T("A SIGCHLD handler: many children exit at once",
                    "SIGCHLD 信号处理函数：许多子进程同时退出"),
            say=T(f"All {CHILDREN} children exit at the same moment. Signals of one kind do not "
                  "queue: the parent may get a single SIGCHLD for all of them. The handler loops "
                  "waitpid(-1, WNOHANG) until nothing is left, so every child is reaped; the main "
                  "flow never waits.",
                  f"{CHILDREN} 个子进程在同一时刻全部退出。同一种信号不会排队：父进程可能只为它们"
                  "全体收到一个 SIGCHLD。信号处理函数循环调用 waitpid(-1, WNOHANG)，直到没有子进程"
                  "可回收为止，因此每个子进程都会被回收；主流程从不等待。"),
            do=(Shell("kill -USR1 {handler}"),),
            checks=(no_children_left("handler"),),
        ),
        Step(
            title=T("SIG_IGN: children that never become zombies",
                    "SIG_IGN：永远不会变成僵尸进程的子进程"),
            say=T("The last parent sets SIGCHLD to SIG_IGN: it tells the kernel it will never "
                  "wait, so the kernel reaps its children itself. SigIgn ('signals ignored') has "
                  "bit 17 set.",
                  "最后一个父进程把 SIGCHLD 设为 SIG_IGN：它告诉内核自己永远不会等待，于是由内核"
                  "亲自回收它的子进程。SigIgn（“被忽略的信号”）的第 17 位被置位。"),
            do=(Shell("kill -USR1 {handler}"),
                Run("ignorer", "reap/reap.py", ("ignore", CHILDREN)),
                Shell(SIGNAL_MASKS % "ignorer")),
            checks=(children_started("ignorer"),
                    Check(T("SIGCHLD ignored by {ignorer} (SigIgn bit 17)",
                            "父进程 {ignorer} 忽略了 SIGCHLD（SigIgn 第 17 位）"),
                          lambda w: w.ignores("ignorer", SIGCHLD))),
            show=(),
        ),
        Step(
            title=T("SIG_IGN: no zombie, and wait() fails with ECHILD",
                    "SIG_IGN：没有僵尸进程，wait() 以 ECHILD 失败"),
            say=T("The children exit. The observer looks at every snapshot: none may show a "
                  "zombie. Then os.wait() finds no child to wait for and fails with ECHILD; the "
                  "program exits with that error number, 10.",
                  "子进程退出。观察程序检查每一次快照：任何一次都不允许出现僵尸进程。随后 "
                  "os.wait() 找不到可以等待的子进程，以 ECHILD 失败；程序以这个错误号 10 "
                  "作为退出状态退出。"),
            do=(Shell("kill -USR1 {ignorer}"),),
            checks=(Check(T("os.wait() failed with ECHILD (exit status 10)",
                            "os.wait() 以 ECHILD 失败（退出状态 10）"),
                          lambda w: w.exit_code("ignorer") == 10),),
            never=Check(T("a zombie child of {ignorer}", "父进程 {ignorer} 的一个僵尸子进程"),
                        lambda w: w.children("ignorer", state="Z")),
        ),
    ),
    outro=T(
        "wait()/join() when the parent knows when to wait; a looping SIGCHLD handler when it "
        "must not block; SIG_IGN when it never needs the exit statuses (note: it also makes "
        "multiprocessing's exitcode and subprocess's returncode useless).",
        "父进程知道什么时候该等待时，用 wait()/join()；父进程不能阻塞时，用循环回收的 SIGCHLD "
        "信号处理函数；父进程永远不需要子进程的退出状态时，用 SIG_IGN（注意：这也会让 "
        "multiprocessing 的 exitcode 和 subprocess 的 returncode 失去意义）。",
    ),
)
