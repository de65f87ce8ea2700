"""Lab: a zombie is a child that has exited and that its parent has not waited for."""

from lab.labs.model import Check, Lab, Run, Shell, Step, T

LAB = Lab(
    name="zombie",
    summary=T(
        "a child that exits before its parent waits becomes a zombie (state Z)",
        "子进程退出时若父进程还没有 wait() 它，它就会变成僵尸进程（状态 Z）",
    ),
    intro=T(
        "When a process exits, the kernel keeps a small record of it -- its PID and exit status "
        "-- until its parent collects it with wait(). Until then the dead child is a zombie: "
        "state Z in ps, '<defunct>' as its command. We start a parent that forks one child "
        "with multiprocessing (the fork start method, asked for explicitly: Python 3.14 "
        "defaults to forkserver on Linux, whose children are not ours). The child returns at "
        "once; the parent does not join it.",
        "进程退出时，内核会为它保留一小份记录——它的 PID 和退出状态——直到父进程用 wait() "
        "把它回收。在此之前，这个已经死去的子进程就是僵尸进程：在 ps 中状态为 Z，命令显示为 "
        "'<defunct>'。我们启动一个父进程，用 multiprocessing 创建（fork）一个子进程（这里显式"
        "指定 fork 启动方式：Python 3.14 在 Linux 上默认使用 forkserver，那样创建的子进程的父进程"
        "是 forkserver，而不是我们的父进程）。子进程立即返回；父进程不对它调用 join()。",
    ),
    steps=(
        Step(
            title=T("A child exits, its parent does not wait",
                    "子进程退出，父进程不等待它"),
            say=T("The parent starts its child and then waits for the lab, without join() or "
                  "is_alive() (both call waitpid() and would reap the child as a side effect).",
                  "父进程启动子进程后，就等待实验的下一步指令，既不调用 join() 也不调用 "
                  "is_alive()（两者都会调用 waitpid()，会顺带把子进程回收掉）。"),
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
            say=T("A zombie is already dead: there is nothing left to kill. SIGKILL is delivered "
                  "and changes nothing; PID {zombie} stays in the table.",
                  "僵尸进程已经死了：没有什么可以再杀的。SIGKILL 信号照常送达，却什么也改变不了；"
                  "PID {zombie} 仍然留在进程表中。"),
            do=(Shell("kill -9 {zombie}"),),
            checks=(Check(T("PID {zombie} still a zombie after kill -9",
                            "kill -9 之后，PID {zombie} 仍是僵尸进程"),
                          lambda w: w.state("zombie") == "Z", hold=0.5),),
        ),
        Step(
            title=T("The parent reaps its child", "父进程回收子进程"),
            say=T("Only the parent can remove its zombie, by waiting for it. We tell the parent "
                  "(PID {parent}) to call join(), which calls waitpid() and collects the status.",
                  "只有父进程能清除自己的僵尸子进程，方法是等待它。我们通知父进程（PID {parent}）"
                  "调用 join()，join() 会调用 waitpid() 并取走子进程的退出状态。"),
            do=(Shell("kill -USR1 {parent}"),),
            checks=(
                Check(T("PID {zombie} gone from the table", "PID {zombie} 已从进程表中消失"),
                      lambda w: w.gone("zombie")),
                Check(T("its parent {parent} still alive", "它的父进程 {parent} 仍然存活"),
                      lambda w: w.alive("parent")),
            ),
        ),
        Step(
            title=T("The parent exits", "父进程退出"),
            say=T("The parent exits normally. Had it exited without waiting, its zombie would "
                  "have been handed to the process that adopts orphans here, PID {reaper}: "
                  "{reaper_name} -- see `proclab lab orphan` and `proclab lab init`.",
                  "父进程正常退出。假如它没有等待子进程就退出，它的僵尸子进程会被交给这里负责收养"
                  "孤儿进程的 PID {reaper}：{reaper_name}——参见 `proclab lab orphan` 和 "
                  "`proclab lab init`。"),
            do=(Shell("kill -USR1 {parent}"),),
            checks=(Check(T("the parent exited with status 0", "父进程以退出状态 0 退出"),
                          lambda w: w.exit_code("parent") == 0),),
            show=("ps",),
        ),
    ),
    outro=T(
        "A zombie costs almost nothing but a PID; a parent that never waits can still fill the "
        "PID table. Reap children: join(), os.wait(), or a SIGCHLD handler (`proclab lab reap`).",
        "僵尸进程除了占用一个 PID 之外几乎不耗费资源；但一个从不等待的父进程仍然可能把 PID 表"
        "占满。记得回收子进程：join()、os.wait()，或者 SIGCHLD 信号处理函数（`proclab lab reap`）。",
    ),
)
