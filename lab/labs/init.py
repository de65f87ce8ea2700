"""Lab: what PID 1 has to do with zombies -- a non-reaping PID 1 versus tini."""

from lab.labs.model import Box, Check, Lab, Run, Shell, Step, T

ORPHANS = 5
RELEASE = "pkill -USR1 -f orphans.py"


def orphans_adopted(count: int) -> Check:
    return Check(T(f"{count} orphans adopted by PID 1", f"{count} 个孤儿进程被 PID 1 收养"),
                 lambda w: len(w.adopted()) == count)


def zombies_under_pid1(count: int) -> Check:
    return Check(T(f"{count} zombies whose parent is PID 1", f"{count} 个父进程为 PID 1 的僵尸进程"),
                 lambda w: len(w.adopted(state="Z")) == count)


LAB = Lab(
    name="init",
    summary=T(
        "PID 1 must reap orphans: a PID 1 that never waits versus Docker's --init (tini)",
        "PID 1 必须回收孤儿进程：从不等待的 PID 1 与 Docker 的 --init（tini）对比",
    ),
    intro=T(
        "Orphans are adopted by PID 1, so PID 1 must wait for them, or every orphan that exits "
        "stays a zombie. In a container PID 1 is whatever the image runs -- often a program that "
        "was never meant to be an init. We run the same orphan-making program in two "
        "containers: one whose PID 1 is `sleep` (it never waits), one started with Docker's "
        "--init, whose PID 1 is tini.",
        "孤儿进程由 PID 1 收养，所以 PID 1 必须等待它们，否则每个退出的孤儿进程都会一直是僵尸"
        "进程。在容器里，PID 1 就是镜像运行的那个程序——它往往根本不是为充当 init 而写的。我们在"
        "两个容器里运行同一个制造孤儿进程的程序：一个容器的 PID 1 是 `sleep`（它从不等待），"
        "另一个用 Docker 的 --init 启动，其 PID 1 是 tini。",
    ),
    boxes={"plain": Box(init=False), "tini": Box(init=True)},
    steps=(
        Step(
            title=T("PID 1 that never waits: orphans arrive", "从不等待的 PID 1：孤儿进程到来"),
            say=T(f"In the first container PID 1 is `sleep`. The program starts {ORPHANS} children "
                  "and exits at once: PID 1 adopts them.",
                  f"第一个容器的 PID 1 是 `sleep`。程序启动 {ORPHANS} 个子进程后立即退出："
                  "PID 1 收养了它们。"),
            do=(Run("first", "init/orphans.py", (ORPHANS,)),),
            checks=(orphans_adopted(ORPHANS),
                    Check(T("PID 1 is sleep", "PID 1 是 sleep"),
                          lambda w: w.pid1().name == "sleep")),
            show=("tree",),
            box="plain",
        ),
        Step(
            title=T("PID 1 that never waits: orphans become zombies",
                    "从不等待的 PID 1：孤儿进程变成僵尸进程"),
            say=T("The orphans exit. Their parent, PID 1, never calls wait(): they stay zombies.",
                  "孤儿进程退出。它们的父进程 PID 1 从不调用 wait()：它们一直是僵尸进程。"),
            do=(Shell(RELEASE),),
            checks=(zombies_under_pid1(ORPHANS),),
            box="plain",
        ),
        Step(
            title=T("PID 1 that never waits: zombies pile up", "从不等待的 PID 1：僵尸进程越积越多"),
            say=T("The same program again: the new orphans join the old zombies, and when they "
                  "exit there are twice as many. Nothing will ever remove them but the end of the "
                  "container.",
                  "再运行一次同一个程序：新的孤儿进程和旧的僵尸进程待在一起，等它们退出后，僵尸进程"
                  "就变成了两倍。除了容器结束，没有任何办法能清除它们。"),
            do=(Run("second", "init/orphans.py", (ORPHANS,)),),
            checks=(orphans_adopted(2 * ORPHANS),),
            show=(),
            box="plain",
        ),
        Step(
            title=T("PID 1 that never waits: twice the zombies", "从不等待的 PID 1：僵尸进程翻倍"),
            say=T("The second group exits too.", "第二批子进程也退出了。"),
            do=(Shell(RELEASE),),
            checks=(zombies_under_pid1(2 * ORPHANS),),
            box="plain",
        ),
        Step(
            title=T("tini as PID 1: orphans arrive", "tini 作为 PID 1：孤儿进程到来"),
            say=T("A second container, started with --init: PID 1 is tini (docker-init). The same "
                  "program makes the same orphans.",
                  "第二个容器用 --init 启动：PID 1 是 tini（docker-init）。同一个程序制造出同样的"
                  "孤儿进程。"),
            do=(Run("third", "init/orphans.py", (ORPHANS,)),),
            checks=(orphans_adopted(ORPHANS),
                    Check(T("PID 1 is docker-init (tini)", "PID 1 是 docker-init（tini）"),
                          lambda w: w.pid1().name == "docker-init")),
            show=("tree",),
            box="tini",
        ),
        Step(
            title=T("tini as PID 1: orphans are reaped", "tini 作为 PID 1：孤儿进程被回收"),
            say=T("The orphans exit, and tini waits for them: no zombie is left.",
                  "孤儿进程退出，tini 等待了它们：没有留下任何僵尸进程。"),
            do=(Shell(RELEASE),),
            checks=(orphans_adopted(0),),
            box="tini",
        ),
        Step(
            title=T("A common misunderstanding: tini does not reap everyone's zombies",
                    "常见误解：tini 并不会回收所有人的僵尸进程"),
            say=T("tini reaps the processes whose parent it is. A zombie whose parent is alive "
                  "belongs to that parent: no init can touch it. Here a living parent keeps a "
                  "zombie child, and it stays, with tini as PID 1, for as long as we look.",
                  "tini 只回收以它为父进程的进程。父进程还活着的僵尸进程归那个父进程管：任何 init "
                  "都动不了它。这里有一个活着的父进程留着一个僵尸子进程；即使 PID 1 是 tini，"
                  "只要我们还在观察，它就一直存在。"),
            do=(Run("parent", "zombie/zombie.py"),),
            checks=(Check(T("a zombie child of {parent} that stays one, tini or not",
                            "父进程 {parent} 的一个僵尸子进程，不管有没有 tini，它都一直是僵尸进程"),
                          lambda w: w.child("parent", state="Z"), hold=2.0),),
            box="tini",
        ),
    ),
    outro=T(
        "If your container's main program starts children, run it with `docker run --init` "
        "(or `init: true` in Compose), or make it reap what it adopts.",
        "如果容器的主程序会启动子进程，请用 `docker run --init` 运行它（或在 Compose 中设置 "
        "`init: true`），或者让它自己回收它收养的进程。",
    ),
)
