"""Lab: a zombie is a child that has exited and that its parent has not waited for.

multiprocessing reaps more often than it seems: start() and reading exitcode call waitpid() too,
and under forkserver the children are not the parent's at all. The lab shows each of them, so
that a student knows why the zombies of the tutorial seldom appear in their own programs.
"""

import signal

from lab.labs.model import Check, Lab, Run, Shell, Step, T, World
from lab.procfs import FORK_SERVER, RESOURCE_TRACKER, Process

SIGKILL = signal.SIGKILL


def helper_of(w: World, role: str, module: str):
    """The living child of `role` that multiprocessing started to run `module` (FORK_SERVER,
    RESOURCE_TRACKER)."""
    return next((p for p in w.living_children(role) if p.runs(module)), None)


def new_zombie(w: World, role: str, besides: str) -> Process:
    """A zombie child of `role` other than the process named `besides`."""
    return next((p for p in w.children(role, state="Z") if p.pid != w.roles.get(besides)), None)


LAB = Lab(
    name="zombie",
    summary=T(
        "a child that exits before its parent waits becomes a zombie (state Z)",
        "子进程退出时若父进程还没有 wait() 它，它就会变成僵尸进程（状态 Z）",
    ),
    intro=T(
        "When a process exits, the kernel keeps a small record of it -- its PID and exit status "
        "-- until its parent collects it with wait(). Until then the dead child is a zombie: "
        "state Z in ps, '<defunct>' as its command. We start a parent that forks children with "
        "multiprocessing, asking for the fork start method explicitly (step 5 shows why). Each "
        "child returns at once; the parent never calls join().",
        "进程退出时，内核会为它保留一小份记录——它的 PID 和退出状态——直到父进程用 wait() "
        "把它回收。在此之前，这个已经死去的子进程就是僵尸进程：在 ps 中状态为 Z，命令显示为 "
        "'<defunct>'。我们启动一个父进程，用 multiprocessing 创建子进程，并显式指定 fork 启动方式"
        "（第 5 步说明原因）。每个子进程都立即返回；父进程从不调用 join()。",
    ),
    steps=(
        Step(
            title=T("A child exits, its parent does not wait",
                    "子进程退出，父进程不等待它"),
            say=T("The parent starts its child, then waits for the lab. It calls neither join() "
                  "nor is_alive() nor active_children(), does not read exitcode, and starts no "
                  "other child: each of these calls waitpid() and would reap the child as a side "
                  "effect (steps 3 and 4 show two of them).",
                  "父进程启动子进程后，就等待实验的下一步指令。它不调用 join()、is_alive() 或 "
                  "active_children()，不读取 exitcode，也不再启动别的子进程：这些操作都会调用 "
                  "waitpid()，顺带把子进程回收掉（第 3、4 步演示其中两种）。"),
            do=(Run("parent", "zombie/zombie.py"),),
            checks=(
                Check(T("a child of the parent (PID {parent}) in state Z",
                        "父进程（PID {parent}）的一个子进程处于 Z 状态"),
                      lambda w: w.child("parent", state="Z"), bind="zombie"),
                Check(T("the parent {parent} still alive", "父进程 {parent} 仍然存活"),
                      lambda w: w.alive("parent")),
            ),
        ),
        Step(
            title=T("kill -9 cannot remove a zombie", "kill -9 清除不了僵尸进程"),
            say=T("A zombie is already dead: there is nothing left to kill. kill -9 succeeds (it "
                  "prints no error: PID {zombie} exists), but the kernel discards the signal: it "
                  "is not even left pending. PID {zombie} stays in the table.",
                  "僵尸进程已经死了，没有什么可以再杀的。kill -9 本身会成功（没有报错：PID {zombie} "
                  "确实存在），但内核直接丢弃了这个信号，连未决信号都不会留下。PID {zombie} "
                  "仍然留在进程表中。"),
            do=(Shell("kill -9 {zombie}"),),
            checks=(
                Check(T("PID {zombie} still a zombie after kill -9",
                        "kill -9 之后，PID {zombie} 仍是僵尸进程"),
                      lambda w: w.state("zombie") == "Z", hold=0.5),
                Check(T("no SIGKILL pending for {zombie} (SigPnd, ShdPnd): the signal was discarded",
                        "{zombie} 没有未决的 SIGKILL（SigPnd、ShdPnd）：这个信号被丢弃了"),
                      lambda w: w.state("zombie") == "Z" and not w.pending("zombie", SIGKILL)),
            ),
        ),
        Step(
            title=T("start() reaps too", "start() 也会回收"),
            say=T("The parent starts a second child. Before it forks, start() cleans up: it polls "
                  "every child started before (waitpid with WNOHANG), and so reaps the first one. "
                  "The second child exits at once and is a zombie in its turn. This is why a "
                  "multiprocessing program that starts children in a loop without join() shows "
                  "few zombies, not many: each start() reaps the children that have ended before it.",
                  "父进程启动第二个子进程。在 fork 之前，start() 会先做一次清理：它逐个轮询之前启动的"
                  "子进程（带 WNOHANG 的 waitpid），于是把第一个子进程回收了。第二个子进程立即退出，"
                  "轮到它成为僵尸进程。这就是为什么一个在循环里启动子进程、却不调用 join() 的 "
                  "multiprocessing 程序，看到的僵尸进程很少，而不是很多：每次 start() 都会回收在它"
                  "之前已经结束的子进程。"),
            do=(Shell("kill -USR1 {parent}"),),
            checks=(
                Check(T("PID {zombie} gone from the table", "PID {zombie} 已从进程表中消失"),
                      lambda w: w.gone("zombie")),
                Check(T("a new zombie child of {parent}", "{parent} 有一个新的僵尸子进程"),
                      lambda w: new_zombie(w, "parent", besides="zombie"), bind="second"),
            ),
            show=("zombies",),
        ),
        Step(
            title=T("Reading exitcode reaps too", "读取 exitcode 也会回收"),
            say=T("The parent reads the second child's exitcode. It looks like a plain attribute, "
                  "but reading it calls waitpid() with WNOHANG: the child is reaped.",
                  "父进程读取第二个子进程的 exitcode。它看上去只是一个普通属性，但读取它会调用带 "
                  "WNOHANG 的 waitpid()：子进程就此被回收。"),
            do=(Shell("kill -USR1 {parent}"),),
            checks=(
                Check(T("PID {second} gone from the table", "PID {second} 已从进程表中消失"),
                      lambda w: w.gone("second")),
                Check(T("its parent {parent} still alive", "它的父进程 {parent} 仍然存活"),
                      lambda w: w.alive("parent")),
            ),
            show=("zombies",),
        ),
        Step(
            title=T("Under forkserver, the server is the parent", "forkserver 方式下，父进程是服务进程"),
            say=T("From Python 3.14 the default start method on Linux is forkserver: the first "
                  "time it is used, multiprocessing starts a server process (and a resource "
                  "tracker), and the server forks every child. The parent now starts a third "
                  "child that way.",
                  "从 Python 3.14 起，Linux 上默认的启动方式是 forkserver：第一次使用时，"
                  "multiprocessing 会启动一个服务进程（还有一个资源跟踪进程），之后每个子进程都由"
                  "这个服务进程 fork 出来。现在父进程用这种方式启动第三个子进程。"),
            do=(Shell("kill -USR1 {parent}"),),
            checks=(
                Check(T("the forkserver, a child of {parent}", "forkserver 服务进程：{parent} 的子进程"),
                      lambda w: helper_of(w, "parent", FORK_SERVER), bind="server"),
                Check(T("the resource tracker, a child of {parent}", "资源跟踪进程：{parent} 的子进程"),
                      lambda w: helper_of(w, "parent", RESOURCE_TRACKER), bind="tracker"),
                Check(T("a living child of the server {server}", "服务进程 {server} 有一个存活的子进程"),
                      lambda w: next(iter(w.living_children("server")), None), bind="served"),
            ),
            show=("tree",),
        ),
        Step(
            title=T("The server reaps its children", "服务进程回收自己的子进程"),
            say=T("The third child exits. Its parent is the server, which waits for its children: "
                  "no zombie appears under our parent at all. That is why this lab asks for fork. "
                  "The observer looks at every snapshot.",
                  "第三个子进程退出。它的父进程是服务进程，而服务进程会等待自己的子进程：我们的父进程"
                  "下面根本不会出现僵尸进程。这正是本实验显式要求 fork 的原因。观察器检查每一次快照。"),
            do=(Shell("kill -USR1 {served}"),),
            checks=(Check(T("PID {served} gone, while the server {server} lives: the server reaped it",
                            "PID {served} 已消失，而服务进程 {server} 仍然存活：是服务进程回收了它"),
                          lambda w: w.gone("served") and w.alive("server")),),
            never=Check(T("a zombie child of {parent}", "{parent} 的一个僵尸子进程"),
                        lambda w: w.children("parent", state="Z")),
            show=("tree",),
        ),
        Step(
            title=T("The parent exits", "父进程退出"),
            say=T("The parent exits normally; its forkserver and resource tracker see it go and "
                  "exit too. A parent that exits and leaves zombies behind (os.fork() without "
                  "wait) hands them to the process that adopts orphans here, PID {reaper}: "
                  "{reaper_name}, which reaps them -- see `proclab lab orphan` and `proclab lab init`.",
                  "父进程正常退出；它的 forkserver 服务进程和资源跟踪进程发现它已退出，也随之退出。"
                  "如果父进程退出时留下了僵尸子进程（用 os.fork() 却不 wait），这些僵尸进程会交给"
                  "这里负责收养孤儿进程的 PID {reaper}：{reaper_name}，由它来回收——参见 "
                  "`proclab lab orphan` 和 `proclab lab init`。"),
            do=(Shell("kill -USR1 {parent}"),),
            checks=(
                Check(T("the parent exited with status 0", "父进程以退出状态 0 退出"),
                      lambda w: w.exit_code("parent") == 0),
                Check(T("the server {server} and the tracker {tracker} gone",
                        "服务进程 {server} 和资源跟踪进程 {tracker} 都已消失"),
                      lambda w: w.gone("server") and w.gone("tracker")),
            ),
            show=("ps",),
        ),
    ),
    outro=T(
        "A zombie costs almost nothing but a PID; a parent that never waits can still fill the "
        "PID table. multiprocessing reaps on many occasions: join(), is_alive(), "
        "active_children(), exitcode, each start(), and at exit; under forkserver the server "
        "reaps. With os.fork() it is your job: os.wait(), or a SIGCHLD handler (`proclab lab reap`).",
        "僵尸进程除了占用一个 PID 之外几乎不耗费资源；但一个从不等待的父进程仍然可能把 PID 表"
        "占满。multiprocessing 会在很多时候回收子进程：join()、is_alive()、active_children()、"
        "exitcode、每一次 start()，以及退出时；在 forkserver 方式下由服务进程回收。用 os.fork() "
        "时，回收就是你自己的事：os.wait()，或者 SIGCHLD 信号处理函数（`proclab lab reap`）。",
    ),
)
