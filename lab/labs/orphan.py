"""Lab: an orphan is a running process whose parent has exited; PID 1 adopts it."""

from lab.labs.model import Check, Lab, Run, Shell, Step, T

LAB = Lab(
    name="orphan",
    summary=T(
        "a child whose parent exits is adopted by PID 1",
        "父进程退出后，它的子进程会被 PID 1 收养",
    ),
    intro=T(
        "Every process has a parent (its PPID). If the parent exits first, the child does not "
        "die with it: it becomes an orphan, and the kernel gives it a new parent -- PID 1 of "
        "its PID namespace (or the nearest ancestor that declared itself a 'subreaper'). In "
        "this container PID 1 is Docker's init, tini.",
        "每个进程都有父进程（即它的 PPID）。如果父进程先退出，子进程并不会随之死去：它成为孤儿"
        "进程，内核会给它指定一个新的父进程——它所在 PID 命名空间中的 PID 1（或者离它最近的、"
        "把自己声明为 'subreaper'（子进程收割者）的祖先进程）。在这个容器里，PID 1 是 Docker "
        "的 init 进程 tini。",
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
                  "is handed to PID 1.",
                  "父进程没有等待子进程就退出了。它的子进程 PID {child} 继续运行，并被交给 PID 1。"),
            do=(Shell("kill -USR1 {parent}"),),
            checks=(
                Check(T("the parent {parent} gone", "父进程 {parent} 已消失"),
                      lambda w: w.gone("parent")),
                Check(T("PID {child} alive with PPID 1", "PID {child} 仍然存活，且 PPID 为 1"),
                      lambda w: w.alive("child") and w.ppid("child") == 1),
                Check(T("PID 1 is docker-init (tini)", "PID 1 是 docker-init（tini）"),
                      lambda w: w.pid1().name == "docker-init"),
            ),
            show=("tree", "ps"),
        ),
        Step(
            title=T("Who is PID 1?", "PID 1 是谁？"),
            say=T("The adoptive parent is the first process of the container. Docker's --init "
                  "runs tini as PID 1, and tini runs the container's command (`sleep`).",
                  "收养孤儿进程的父进程是容器的第一个进程。Docker 的 --init 选项让 tini 作为 "
                  "PID 1 运行，再由 tini 运行容器的命令（`sleep`）。"),
            do=(Shell("ps -o pid,ppid,stat,args -p 1"),),
            checks=(Check(T("PID 1 is docker-init (tini)", "PID 1 是 docker-init（tini）"),
                          lambda w: w.pid1().name == "docker-init"),),
            show=(),
        ),
        Step(
            title=T("The orphan exits, and its new parent reaps it",
                    "孤儿进程退出，新的父进程回收了它"),
            say=T("The orphan exits. Its parent is now tini, which waits for every child that "
                  "reaches it, so PID {child} does not even stay a zombie.",
                  "孤儿进程退出。它现在的父进程是 tini，而 tini 会等待每一个交到它手上的子进程，"
                  "所以 PID {child} 甚至不会停留在僵尸状态。"),
            do=(Shell("kill -USR1 {child}"),),
            checks=(Check(T("PID {child} gone entirely (reaped by PID 1)",
                            "PID {child} 已完全消失（被 PID 1 回收）"),
                          lambda w: w.gone("child")),),
        ),
    ),
    outro=T(
        "Orphans are harmless when PID 1 reaps. `make lab-init` shows what happens when PID 1 "
        "is a program that never waits.",
        "只要 PID 1 会回收，孤儿进程就是无害的。`make lab-init` 会演示当 PID 1 是一个从不等待"
        "的程序时会发生什么。",
    ),
)
