"""Lab: a Process's pid, name, is_alive(), terminate() and exitcode, checked against the kernel."""

import signal

from lab.labs.model import Check, Lab, Run, Shell, Step, T

SIGTERM = signal.SIGTERM
NAME = "worker"  # the name the program gives its child
# Lines the parent prints: what multiprocessing told it. The table and /proc back each one.
AFTER_TERMINATE = "right after terminate(): p.is_alive() = True, p.exitcode = None"
AFTER_JOIN = "after join(): p.is_alive() = False, p.exitcode = -15"


LAB = Lab(
    name="attributes",
    summary=T(
        "a Process's pid, name, is_alive(), terminate() and exitcode, checked against the kernel",
        "Process 对象的 pid、name、is_alive()、terminate() 和 exitcode，逐一与内核对照",
    ),
    intro=T(
        "A multiprocessing.Process is the parent's handle on a child. The tutorial lists what "
        "it offers: p.pid, p.name, p.is_alive(), p.terminate() and p.exitcode. We check each "
        "against what the kernel shows. The child runs until it is terminated, but it starts "
        "with a piece of work during which it blocks SIGTERM: that makes the moment between "
        "terminate() and the child's death long enough to look at.",
        "multiprocessing.Process 对象是父进程手中代表子进程的句柄。教程列出了它提供的属性和方法："
        "p.pid、p.name、p.is_alive()、p.terminate() 和 p.exitcode。我们把每一项都与内核显示的"
        "情况对照检查。子进程会一直运行，直到被终止；不过它一开始要完成一段工作，期间屏蔽 SIGTERM "
        "信号：这样，从 terminate() 到子进程真正死去之间就有足够长的时间供我们观察。",
    ),
    steps=(
        Step(
            title=T("p.pid is the child's PID", "p.pid 就是子进程的 PID"),
            say=T(f"The parent starts a child named '{NAME}' and prints p.pid: the PID the kernel "
                  f"gave the child. The same number is in the table, as a child of the parent.",
                  f"父进程启动一个名为 '{NAME}' 的子进程，并打印 p.pid：这是内核分配给子进程的 "
                  f"PID。进程表里能看到同一个数字，它正是这个父进程的子进程。"),
            do=(Run("parent", "attributes/attributes.py"),),
            checks=(
                Check(T("a running child of the parent {parent}", "父进程 {parent} 的一个子进程正在运行"),
                      lambda w: w.child("parent", state="S"), bind="child"),
                Check(T("the parent printed p.pid = {child}, and the child os.getpid() = {child}",
                        "父进程打印出 p.pid = {child}，子进程打印出 os.getpid() = {child}"),
                      lambda w: w.printed("parent", f"p.pid = {w.roles['child']}")
                      and w.printed("parent", f"child: os.getpid() = {w.roles['child']}")),
            ),
            show=("tree",),
        ),
        Step(
            title=T("p.name is a label inside Python", "p.name 只是 Python 内部的标签"),
            say=T(f"p.name is '{NAME}', and the child sees the same name as "
                  f"current_process().name. The kernel knows nothing of it: its name for the "
                  f"process (comm, what pstree and `ps -o comm` show) is still python3, inherited "
                  f"from the parent. Changing it takes prctl(PR_SET_NAME) or a write to "
                  f"/proc/self/comm, and multiprocessing does neither.",
                  f"p.name 是 '{NAME}'，子进程通过 current_process().name 看到的也是这个名字。"
                  f"但内核对此一无所知：内核记录的进程名（comm，pstree 和 `ps -o comm` 显示的就是它）"
                  f"仍然是从父进程继承来的 python3。要改变它，得调用 prctl(PR_SET_NAME) 或写 "
                  f"/proc/self/comm，而 multiprocessing 两样都不做。"),
            do=(Shell("ps -o pid,ppid,comm,cmd -p {child}"),),
            checks=(
                Check(T(f"the parent printed p.name = '{NAME}', and the child "
                        f"current_process().name = '{NAME}'",
                        f"父进程打印出 p.name = '{NAME}'，子进程打印出 "
                        f"current_process().name = '{NAME}'"),
                      lambda w: w.printed("parent", f"p.name = '{NAME}'")
                      and w.printed("parent", f"child: current_process().name = '{NAME}'")),
                Check(T("the kernel's name for PID {child} is python3",
                        "内核记录的 PID {child} 的进程名是 python3"),
                      lambda w: w.alive("child") and w.proc("child").name == "python3"),
            ),
            show=(),
        ),
        Step(
            title=T("terminate() only sends SIGTERM", "terminate() 只是发送 SIGTERM 信号"),
            say=T("The parent calls p.terminate(), which sends SIGTERM to the child and returns "
                  "at once, then asks p.is_alive(). The child is still in its work with SIGTERM "
                  "blocked: the signal stays pending, and the child lives on, so here "
                  "is_alive() is True every time. Without that stretch it is usually True too, "
                  "because the child needs a moment to run and die -- but that is the usual "
                  "outcome of a race condition, not a promise. p.exitcode stays None until the "
                  "child has ended.",
                  "父进程调用 p.terminate()：它向子进程发送 SIGTERM 后立即返回；接着父进程调用 "
                  "p.is_alive()。子进程这时还在做那段屏蔽了 SIGTERM 的工作：这个信号处于未决状态，"
                  "子进程照样活着，所以这里 is_alive() 每次都是 True。即使没有这段屏蔽，它通常也是 "
                  "True，因为子进程要等被调度运行后才会死去——但这只是竞态条件的常见结果，并不是"
                  "保证。子进程结束之前，p.exitcode 一直是 None。"),
            do=(Shell("kill -USR1 {parent}"),),
            checks=(
                Check(T("SIGTERM blocked and pending for PID {child}, which is still alive",
                        "PID {child} 屏蔽了 SIGTERM，这个信号处于未决状态，而它仍然活着"),
                      lambda w: w.alive("child") and w.proc("child").blocks(SIGTERM)
                      and w.pending("child", SIGTERM)),
                Check(T(f"the parent printed: {AFTER_TERMINATE}", f"父进程打印出“{AFTER_TERMINATE}”"),
                      lambda w: w.printed("parent", AFTER_TERMINATE)),
            ),
            show=("ps",),
        ),
        Step(
            title=T("The child unblocks SIGTERM and dies of it", "子进程解除对 SIGTERM 的屏蔽，随即被它杀死"),
            say=T("In /proc/{child}/status, the bit of signal 15 (0x4000: signal n is bit n-1) "
                  "is set in SigBlk (blocked) and in ShdPnd (pending for the whole process). The "
                  "lab lets the child finish its work: it unblocks SIGTERM, and the pending signal "
                  "kills it with the default action. The parent does not wait yet, so the child "
                  "stays a zombie, and the wait status the kernel keeps for the parent says: "
                  "killed by signal 15.",
                  "在 /proc/{child}/status 中，信号 15 对应的位（0x4000：信号 n 对应第 n-1 位）在 "
                  "SigBlk（已屏蔽）和 ShdPnd（发给整个进程的未决信号）里都已置位。实验让子进程完成"
                  "它的工作：它解除对 SIGTERM 的屏蔽，未决的信号随即按默认动作杀死它。父进程此时还"
                  "没有等待它，所以子进程成了僵尸进程；内核为父进程保存的等待状态（wait status）"
                  "写着：被信号 15 杀死。"),
            do=(Shell("grep -E '^(SigBlk|ShdPnd)' /proc/{child}/status"), Shell("kill -USR1 {child}")),
            checks=(Check(T("PID {child} a zombie whose wait status says: killed by signal 15 "
                            "(exit code -15)",
                            "PID {child} 成为僵尸进程，其等待状态表明：被信号 15 杀死（退出码 -15）"),
                          lambda w: w.zombie_exit("child") == -SIGTERM),),
            show=("zombies",),
        ),
        Step(
            title=T("join() reaps the child: exitcode -15", "join() 回收子进程：exitcode 为 -15"),
            say=T("The parent calls p.join(): waitpid() collects the zombie's status, and "
                  "multiprocessing turns 'killed by signal 15' into exitcode -15. A negative "
                  "exitcode is the number of the signal that killed the child; a normal exit "
                  "gives 0, or the status passed to sys.exit(). is_alive() is now False.",
                  "父进程调用 p.join()：waitpid() 取走僵尸进程的退出状态，multiprocessing 把"
                  "“被信号 15 杀死”换算成 exitcode -15。exitcode 为负数，表示子进程被该编号的信号"
                  "杀死；正常退出时则为 0，或者是传给 sys.exit() 的值。现在 is_alive() 为 False。"),
            do=(Shell("kill -USR1 {parent}"),),
            checks=(
                Check(T("PID {child} gone from the table", "PID {child} 已从进程表中消失"),
                      lambda w: w.gone("child")),
                Check(T(f"the parent exited 0 after printing: {AFTER_JOIN}",
                        f"父进程打印出“{AFTER_JOIN}”，并以状态 0 退出"),
                      lambda w: w.exit_code("parent") == 0 and w.printed("parent", AFTER_JOIN)),
            ),
            show=("zombies",),
        ),
    ),
    outro=T(
        "p.pid and p.exitcode come from the kernel; p.name lives only in Python. terminate() is "
        "a request: SIGTERM can be blocked, handled or ignored, and only join() (or is_alive() "
        "and exitcode, which poll) tells you the child has really ended -- exitcode -15 then says SIGTERM "
        "did it. p.kill() sends SIGKILL (exitcode -9), which cannot be blocked.",
        "p.pid 和 p.exitcode 来自内核；p.name 只存在于 Python 中。terminate() 只是一个请求："
        "SIGTERM 可以被屏蔽、捕获处理或忽略；只有 join()（或会去查询的 is_alive() 和 exitcode）才能告诉你"
        "子进程真的结束了——这时 exitcode 为 -15，说明它死于 SIGTERM。p.kill() 发送的是 "
        "SIGKILL（exitcode 为 -9），它无法被屏蔽。",
    ),
)
