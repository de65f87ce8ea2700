"""Lab: a multiprocessing daemon is terminated when the main process ends by itself; a non-daemon
is joined; a main process killed by SIGKILL leaves its daemon running, an orphan.

The daemon's death takes a millisecond: the exit handler sends SIGTERM and reaps at once. So the
lab stops the daemon first (SIGSTOP): the SIGTERM then waits, pending, where /proc shows it, and
SIGCONT lets it do its work.

The tutorial says a daemon lives and dies with its main process (你死我亡). It is Python code in
the main process, an atexit handler, that kills the daemon: the last steps kill the main process
so that no code runs in it, and the daemon lives on.
"""

import signal
from typing import Optional

from lab.labs.model import Check, Lab, Run, Shell, Step, T, World
from lab.procfs import Process

SIGTERM = signal.SIGTERM
NO_CHILDREN = "AssertionError: daemonic processes are not allowed to have children"
TOO_LATE = "AssertionError: process has already started"


def living_child(w: World, role: str, besides: str = "") -> Optional[Process]:
    """A child of `role` that has not exited, other than the process named `besides`."""
    other = w.roles.get(besides)
    return next((p for p in w.living_children(role) if p.pid != other), None)


def shares_parent_session(w: World) -> bool:
    """The daemon is in its parent's session and leads none: it never called setsid().

    A Unix daemon differs from ours exactly there.
    """
    daemon, parent = w.proc("daemon"), w.proc("parent")
    return bool(daemon and parent) and daemon.sid == parent.sid != daemon.pid


def killed_by_sigterm(w: World) -> bool:
    """Gone (reaped), or a zombie whose wait status says SIGTERM: which one depends on the order
    in which the exit handler joins the children."""
    daemon = w.proc("daemon")
    return daemon is None or daemon.exit_code == -SIGTERM


LAB = Lab(
    name="daemon",
    summary=T(
        "daemon children are terminated when the main process ends by itself; ordinary children are waited for",
        "主进程自行结束时，守护子进程被终止；普通子进程会被等待",
    ),
    intro=T(
        "In multiprocessing, a daemon process is a child whose daemon attribute was set to True "
        "before start(). The word means one thing only: when the main process ends by itself, "
        "multiprocessing's exit handler terminates it (SIGTERM). It is not a Unix daemon: no "
        "double fork, no setsid(); it stays its parent's child, in its parent's session. An "
        "ordinary (non-daemon) child is the opposite: when the main code ends, the main process "
        "waits for it (join). One program shows both, and the two rules that come with daemon: "
        "set it before start(), and a daemon may not have children. Then we run it again and "
        "kill the main process, to see whether the daemon really dies with it, as the tutorial "
        "says. The parent asks for the fork start method explicitly: Python 3.14 defaults to "
        "forkserver on Linux.",
        "在 multiprocessing 里，守护进程就是在 start() 之前把 daemon 属性设为 True 的子进程。"
        "这个词只有一个含义：主进程自行结束时，multiprocessing 的退出处理函数会终止它（发送 SIGTERM）。"
        "它不是 Unix 意义上的守护进程：没有两次 fork，也没有 setsid()；它仍然是父进程的子进程，"
        "留在父进程的会话里。普通的（非守护）子进程正好相反：主进程的代码运行完毕后，"
        "主进程会等待（join）它结束。同一个程序演示这两种子进程，以及守护进程的两条规则："
        "daemon 必须在 start() 之前设置；守护进程不允许创建子进程。然后我们再运行一次这个程序，"
        "并杀死主进程，看看守护进程是否真像教程说的那样与主进程“你死我亡”。父进程显式使用 fork "
        "启动方式：Python 3.14 在 Linux 上默认使用 forkserver。",
    ),
    steps=(
        Step(
            title=T("A daemon child", "一个守护子进程"),
            say=T(
                "The parent sets daemon = True, then calls start(). Its daemon child stands for "
                "background work that never ends by itself.",
                "父进程先设置 daemon = True，再调用 start()。这个守护子进程代表一项永远不会"
                "自己结束的后台工作。",
            ),
            do=(Run("parent", "daemon/daemon.py"),),
            checks=(Check(T("a living child of the parent {parent}", "父进程 {parent} 有一个存活的子进程"),
                          lambda w: living_child(w, "parent"), bind="daemon"),),
            show=("tree",),
        ),
        Step(
            title=T("Not a Unix daemon", "不是 Unix 守护进程"),
            say=T(
                "A Unix daemon (sshd, cron) cuts itself loose. It forks and the parent exits: the "
                "shell gets its prompt back, and the child is adopted (by PID 1, or a subreaper). "
                "The child calls setsid() to leave its parent's session and controlling terminal. "
                "Then it forks again, for the terminal's sake: the grandchild leads no session, so "
                "opening a terminal can never make it its controlling terminal again. The daemon "
                "{daemon} does none of this: look at its PPID and SID (session ID).",
                "Unix 守护进程（如 sshd、cron）会与启动它的进程断开联系。它先 fork，然后父进程退出："
                "shell 重新显示提示符，子进程则被 PID 1（或某个收割者，即 subreaper）收养。"
                "子进程调用 setsid()，离开父进程的会话和控制终端。接着它再 fork 一次，这是为了终端："
                "孙进程不是会话首进程，所以即使它打开一个终端，这个终端也不会再成为它的控制终端。"
                "守护进程 {daemon} 这些都不做：看看它的 PPID 和 SID（会话 ID）。",
            ),
            do=(Shell("ps -o pid,ppid,pgid,sid,stat,args -p {parent},{daemon}"),),
            checks=(
                Check(T("the PPID of {daemon} is {parent}, not 1", "{daemon} 的 PPID 是 {parent}，不是 1"),
                      lambda w: w.ppid("daemon") == w.roles["parent"]),
                Check(T("{daemon} in the session of {parent}, not leading a session of its own",
                        "{daemon} 与 {parent} 在同一个会话中，没有自己新建会话"),
                      shares_parent_session),
            ),
            show=(),
        ),
        Step(
            title=T("A daemon may not have children", "守护进程不允许创建子进程"),
            say=T(
                "The daemon {daemon} now tries to start a child of its own. multiprocessing "
                "refuses before it forks: a daemon is terminated without warning, and its "
                "children would be left behind as orphans. The refusal is an assert in start(), "
                "and python -O removes asserts: run so, the daemon would start its child. The "
                "observer looks at every snapshot: no child may appear under {daemon}.",
                "守护进程 {daemon} 现在尝试创建自己的子进程。multiprocessing 在 fork 之前就拒绝了："
                "守护进程会被直接终止，它的子进程就会变成孤儿进程。这个拒绝只是 start() 里的一条 "
                "assert，而 python -O 会去掉所有 assert：那样运行的话，守护进程就会创建出子进程。"
                "观察器检查每一次快照：{daemon} 下面不能出现任何子进程。",
            ),
            do=(Shell("kill -USR1 {daemon}"),),
            checks=(
                Check(T(f"the daemon reports {NO_CHILDREN}", f"守护进程报告：{NO_CHILDREN}"),
                      lambda w: NO_CHILDREN in w.output("parent")),
                Check(T("{daemon} still alive, still without a child", "{daemon} 仍然存活，仍然没有子进程"),
                      lambda w: w.alive("daemon") and not w.children("daemon"), hold=0.5),
            ),
            never=Check(T("a child of {daemon}", "{daemon} 的子进程"), lambda w: w.children("daemon")),
            show=("tree",),
        ),
        Step(
            title=T("daemon must be set before start()", "daemon 必须在 start() 之前设置"),
            say=T(
                "The parent starts a worker, an ordinary (non-daemon) child, then sets "
                "worker.daemon = True after start(). Too late: once a process has started, the "
                "setter refuses, and the worker stays an ordinary child (the next steps show it). "
                "This refusal is an assert too: under python -O the setter obeys, and the worker "
                "would be terminated at exit like a daemon.",
                "父进程启动一个 worker——一个普通的（非守护）子进程，然后在 start() 之后才执行 "
                "worker.daemon = True。为时已晚：进程一旦启动，这个设置就会被拒绝，worker "
                "仍然是普通子进程（后面几步会证明这一点）。这个拒绝同样只是一条 assert：在 python -O "
                "下，设置会照常生效，worker 会在退出时像守护进程一样被终止。",
            ),
            do=(Shell("kill -USR1 {parent}"),),
            checks=(
                Check(T(f"the parent reports {TOO_LATE}", f"父进程报告：{TOO_LATE}"),
                      lambda w: TOO_LATE in w.output("parent")),
                Check(T("a second living child of {parent}, besides {daemon}",
                        "{parent} 有第二个存活的子进程（{daemon} 之外）"),
                      lambda w: living_child(w, "parent", besides="daemon"), bind="worker"),
            ),
            show=("tree",),
        ),
        Step(
            title=T("Slow motion: freeze the daemon", "慢动作：先暂停守护进程"),
            say=T(
                "What comes next is over within a millisecond. To watch it, we stop the daemon "
                "with SIGSTOP (state T). A stopped process keeps the signals sent to it pending, "
                "SIGKILL excepted, until SIGCONT lets it run again.",
                "接下来的事情在一毫秒之内就会结束。为了看清楚，我们先用 SIGSTOP 暂停守护进程"
                "（状态 T）。被暂停的进程收到的信号（SIGKILL 除外）都会处于未决（pending）状态，"
                "直到 SIGCONT 让它继续运行。",
            ),
            do=(Shell("kill -STOP {daemon}"),),
            checks=(Check(T("{daemon} stopped (state T)", "{daemon} 已暂停（状态 T）"),
                          lambda w: w.state("daemon") == "T"),),
            show=("ps",),
        ),
        Step(
            title=T("The main code ends", "主进程的代码运行完毕"),
            say=T(
                "The parent runs the last line of its code. What runs next is multiprocessing's "
                "exit handler (registered with atexit): it sends SIGTERM to every daemon child, "
                "then join()s every child, daemon or not.",
                "父进程执行完它代码的最后一行。接下来运行的是 multiprocessing 的退出处理函数"
                "（用 atexit 注册）：它先向每个守护子进程发送 SIGTERM，然后 join() 每一个子进程，"
                "无论是不是守护进程。",
            ),
            do=(Shell("kill -USR1 {parent}"),),
            checks=(
                Check(T("a SIGTERM pending for {daemon}: the exit handler has sent it",
                        "{daemon} 有一个未决的 SIGTERM：退出处理函数已经发出了它"),
                      lambda w: w.pending("daemon", SIGTERM)),
                Check(T("{worker} still running, {parent} still alive", "{worker} 仍在运行，{parent} 仍然存活"),
                      lambda w: w.alive("worker") and w.alive("parent")),
            ),
            show=(),
        ),
        Step(
            title=T("The daemon dies; the main process waits for the worker",
                    "守护进程死去；主进程等待 worker"),
            say=T(
                "/proc shows the pending SIGTERM (ShdPnd 0x4000: bit 15). SIGCONT wakes the daemon "
                "and the SIGTERM kills it: no Python code runs in it any more, not even finally "
                "blocks. The parent's code is done, yet it does not exit: it waits for the worker. "
                "The exit handler joins the children in no fixed order: if it is waiting for the "
                "worker first, the dead daemon stays a zombie until then, its status saying SIGTERM.",
                "/proc 里可以看到这个未决的 SIGTERM（ShdPnd 0x4000：第 15 位）。SIGCONT 唤醒"
                "守护进程，SIGTERM 随即杀死它：它不再运行任何 Python 代码，连 finally 块也不执行。"
                "父进程的代码已经结束，但它不退出：它在等待 worker。退出处理函数 join 子进程的顺序"
                "不固定：如果它先等 worker，死去的守护进程会一直是僵尸进程，直到那时才被回收，"
                "它的退出状态显示 SIGTERM。",
            ),
            do=(Shell("grep -E '^(State|ShdPnd)' /proc/{daemon}/status"), Shell("kill -CONT {daemon}")),
            checks=(
                Check(T("{daemon} killed by SIGTERM: gone, or a zombie whose status says SIGTERM",
                        "{daemon} 被 SIGTERM 杀死：已从进程表消失，或是退出状态为 SIGTERM 的僵尸进程"),
                      killed_by_sigterm),
                Check(T("{worker} and its parent {parent} alive: the main code is done, the main "
                        "process is not",
                        "{worker} 和它的父进程 {parent} 都还活着：主进程的代码结束了，主进程本身还没有"),
                      lambda w: w.alive("worker") and w.alive("parent"), hold=1.0),
            ),
            show=("zombies", "tree"),
        ),
        Step(
            title=T("The worker ends, and so does the main process", "worker 结束，主进程随之退出"),
            say=T(
                "The worker finishes its work. The exit handler's join() returns, and the parent "
                "exits normally.",
                "worker 完成工作后退出。退出处理函数中的 join() 返回，父进程正常退出。",
            ),
            do=(Shell("kill -USR1 {worker}"),),
            checks=(
                Check(T("{worker} gone", "{worker} 已从进程表消失"), lambda w: w.gone("worker")),
                Check(T("{parent} exited with status 0", "{parent} 以状态 0 退出"),
                      lambda w: w.exit_code("parent") == 0),
            ),
            show=("ps",),
        ),
        Step(
            title=T("Again: a new main process and its daemon", "再来一次：新的主进程和它的守护进程"),
            say=T(
                "The tutorial says a daemon dies with its main process. That holds when the main "
                "process ends by itself (its code ends, sys.exit(), an uncaught exception): the "
                "daemon's SIGTERM comes from the exit handler, Python code that atexit runs in the "
                "main process. We start the same program again.",
                "教程说守护进程与主进程“你死我亡”。这只在主进程自行结束时成立（代码运行完毕、"
                "sys.exit()、未捕获的异常）：守护进程收到的 SIGTERM 来自退出处理函数，而这是 atexit "
                "在主进程里运行的 Python 代码。我们再运行一次同一个程序。",
            ),
            do=(Run("parent2", "daemon/daemon.py"),),
            checks=(Check(T("a living child of the new parent {parent2}", "新的父进程 {parent2} 有一个存活的子进程"),
                          lambda w: living_child(w, "parent2"), bind="daemon2"),),
            show=("tree",),
        ),
        Step(
            title=T("SIGKILL the main process: its daemon lives on", "用 SIGKILL 杀死主进程：守护进程活了下来"),
            say=T(
                "We kill {parent2} with SIGKILL. No code runs in a process killed so: no exit "
                "handler, so no SIGTERM for the daemon {daemon2}. The daemon lives on, an orphan, "
                "adopted by PID {reaper}. Any death that skips Python's exit does the same: a "
                "signal the program does not handle (SIGTERM too), or os._exit().",
                "我们用 SIGKILL 杀死 {parent2}。这样被杀死的进程里不会再运行任何代码：没有退出处理"
                "函数，守护进程 {daemon2} 也就收不到 SIGTERM。守护进程活了下来，成了孤儿进程，被 "
                "PID {reaper} 收养。凡是跳过 Python 正常退出流程的死法都一样：程序没有处理的信号"
                "（SIGTERM 也算），或者 os._exit()。",
            ),
            do=(Shell("kill -9 {parent2}"),),
            checks=(
                Check(T("{parent2} gone", "{parent2} 已消失"), lambda w: w.gone("parent2")),
                Check(T("{daemon2} alive, an orphan with PPID {reaper}",
                        "{daemon2} 仍然存活，是一个 PPID 为 {reaper} 的孤儿进程"),
                      lambda w: w.alive("daemon2") and w.ppid("daemon2") == w.roles["reaper"], hold=0.5),
            ),
            show=("tree",),
        ),
        Step(
            title=T("Cleaning up the orphan", "清理这个孤儿进程"),
            say=T(
                "Its work never ends, and no parent is left to terminate it. We send it SIGTERM "
                "ourselves; its new parent, PID {reaper}, reaps it.",
                "它的工作永远不会结束，也没有父进程来终止它了。我们亲手向它发送 SIGTERM；"
                "它的新父进程 PID {reaper} 回收了它。",
            ),
            do=(Shell("kill {daemon2}"),),
            checks=(Check(T("{daemon2} gone (reaped by PID {reaper})", "{daemon2} 已消失（被 PID {reaper} 回收）"),
                          lambda w: w.gone("daemon2")),),
            show=("ps",),
        ),
    ),
    outro=T(
        "daemon = True means one thing: 'terminate me when the main process ends by itself'; "
        "if the main process is killed, the daemon outlives it, an orphan. Set it before "
        "start(); a daemon may not start children (both rules are asserts, which python -O "
        "removes); it dies of SIGTERM, so its finally blocks and atexit handlers never run: give "
        "it no work that must be saved. Ordinary children are joined at exit: the main process "
        "ends only after them. A real Unix daemon (fork, setsid(), fork again) is another thing; "
        "today a service manager (systemd) or the container itself usually does that job.",
        "daemon = True 只表示一件事：“主进程自行结束时终止我”；如果主进程是被杀死的，守护进程"
        "会比它活得更久，成为孤儿进程。它必须在 start() 之前设置；守护进程不能创建子进程（这两条"
        "规则都只是 assert，python -O 会把它们去掉）；它死于 SIGTERM，所以它的 finally 块和 "
        "atexit 处理函数都不会执行：不要让它做必须保存结果的工作。普通子进程会在退出时被 join()："
        "主进程要等它们都结束后才结束。真正的 Unix 守护进程（fork、setsid()、再 fork）是另一回事；"
        "如今这项工作通常交给服务管理器（systemd）或容器本身。",
    ),
)
