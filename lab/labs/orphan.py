"""Lab: an orphan is a running process whose parent has exited; the reaper adopts it.

In a container the reaper is PID 1 (tini); in place it is proclab's supervisor, a subreaper, so
the lab checks the orphan's new PPID against the sandbox's reaper, not against 1.
"""

from lab.labs.claims import reaper_is
from lab.labs.model import ByBackend, Check, Lab, Run, Shell, Step, T, cat

LAB = Lab(
    name="orphan",
    summary=T(
        "a child whose parent exits is adopted by PID 1, or by the nearest subreaper",
        "父进程退出后，它的子进程会被 PID 1（或最近的收割者）收养",
    ),
    intro=cat(
        T("Every process has a parent (its PPID). If the parent exits first, the child does not "
          "die with it: it becomes an orphan, and the kernel gives it a new parent -- PID 1 of "
          "its PID namespace, or the nearest ancestor that declared itself a 'subreaper' "
          "(prctl(PR_SET_CHILD_SUBREAPER)). ",
          "每个进程都有父进程（即它的 PPID）。如果父进程先退出，子进程并不会随之死去：它成为孤儿"
          "进程，内核会给它指定一个新的父进程——它所在 PID 命名空间中的 PID 1，或者离它最近的、"
          "把自己声明为子进程收割者（subreaper，prctl(PR_SET_CHILD_SUBREAPER)）的祖先进程。"),
        ByBackend(
            docker=T("In this container PID 1 is Docker's init, tini.",
                     "在这个容器里，PID 1 是 Docker 的 init 进程 tini。"),
            local=T("Here the lab runs in place, on this machine, without a container: its "
                    "programs are started by proclab's supervisor, a subreaper, so their orphans "
                    "go to the supervisor, not to PID 1 of the machine.",
                    "这里实验在本机原地运行，没有容器：它的程序都由 proclab 的监督进程启动，而监督进程"
                    "是一个收割者（subreaper），所以这些程序的孤儿进程归监督进程收养，而不是归本机的 PID 1。"),
        ),
    ),
    steps=(
        Step(
            title=T("A parent and its child", "父进程和它的子进程"),
            say=T("The parent forks a child with os.fork() (a multiprocessing parent would join its "
                  "children when it exits, and no orphan would appear).",
                  "父进程用 os.fork() 创建一个子进程（如果用 multiprocessing，父进程退出时会 "
                  "join 它的子进程，就不会出现孤儿进程了）。"),
            do=(Run("parent", "orphan/orphan.py"),),
            checks=(Check(T("a running child of the parent {parent}",
                            "父进程 {parent} 的一个正在运行的子进程"),
                          lambda w: w.child("parent", state="S"), bind="child"),),
            show=("tree",),
        ),
        Step(
            title=T("The parent exits first", "父进程先退出"),
            say=T("The parent exits without waiting. Its child, PID {child}, goes on running and "
                  "is handed to PID {reaper}.",
                  "父进程没有等待子进程就退出了。它的子进程 PID {child} 继续运行，由 PID {reaper} 收养。"),
            do=(Shell("kill -USR1 {parent}"),),
            checks=(
                Check(T("the parent {parent} gone", "父进程 {parent} 已消失"),
                      lambda w: w.gone("parent")),
                Check(T("PID {child} alive with PPID {reaper}", "PID {child} 仍然存活，且 PPID 为 {reaper}"),
                      lambda w: w.alive("child") and w.ppid("child") == w.roles["reaper"]),
                reaper_is(),
            ),
            show=("tree", "ps"),
        ),
        Step(
            title=T("Who is PID {reaper}?", "PID {reaper} 是谁？"),
            say=ByBackend(
                docker=T("The adoptive parent is the first process of the container. Docker's --init "
                         "runs tini as PID 1, and tini runs the container's command (`sleep`).",
                         "收养它的新父进程是容器里的第一个进程。Docker 的 --init 选项让 tini 作为 "
                         "PID 1 运行，再由 tini 启动容器的命令（`sleep`）。"),
                local=T("The adoptive parent is proclab's supervisor, a Python process "
                        "(lab/backends/supervisor.py) that the lab started before anything else. It "
                        "starts every program of the lab, and it called "
                        "prctl(PR_SET_CHILD_SUBREAPER), so every orphan below it comes to it. PID 1 "
                        "of this machine is another process: it adopts the orphans of everyone "
                        "else, outside the lab.",
                        "收养它的新父进程是 proclab 的监督进程：一个 Python 进程"
                        "（lab/backends/supervisor.py），实验在做任何事之前先启动了它。实验的每个程序"
                        "都由它启动，而且它调用了 prctl(PR_SET_CHILD_SUBREAPER)，所以它下面的每个孤儿"
                        "进程都会交给它。本机的 PID 1 是另一个进程：它收养的是实验之外其他所有人的孤儿"
                        "进程。"),
            ),
            do=(Shell("ps -o pid,ppid,stat,args -p {reaper}"),),
            checks=(reaper_is(),),
            show=(),
        ),
        Step(
            title=T("The orphan exits, and its new parent reaps it",
                    "孤儿进程退出，新的父进程回收了它"),
            say=T("The orphan exits. Its parent is now {reaper_name}, which waits for every child "
                  "that reaches it, so PID {child} does not even stay a zombie.",
                  "孤儿进程退出。它现在的父进程是 {reaper_name}，它会等待每一个交到它手上的子进程，"
                  "所以 PID {child} 甚至不会停留在僵尸状态。"),
            do=(Shell("kill -USR1 {child}"),),
            checks=(Check(T("PID {child} gone entirely (reaped by PID {reaper})",
                            "PID {child} 已完全消失（被 PID {reaper} 回收）"),
                          lambda w: w.gone("child")),),
        ),
    ),
    outro=T(
        "Orphans are harmless when whoever adopts them reaps them. `proclab lab init` shows what "
        "happens when it is a program that never waits.",
        "只要收养者会回收它们，孤儿进程就是无害的。`proclab lab init` 演示收养者是一个从不等待的"
        "程序时会怎样。",
    ),
)
