"""Lab: what the reaper has to do with zombies -- one that never waits versus one that reaps.

In a container the reaper is PID 1: the container's `sleep` (never waits) or tini (reaps). In
place both are proclab's supervisor, a subreaper, in its two modes.
"""

from lab.labs.claims import reaper_is
from lab.labs.model import Box, ByBackend, Check, Lab, Run, Shell, Step, T, cat

ORPHANS = 5
RELEASE = "pkill -USR1 -P {reaper} -f orphans.py"  # the orphans only: children of the reaper


def orphans_adopted(count: int) -> Check:
    return Check(T(f"{count} orphans adopted by PID {{reaper}}", f"{count} 个孤儿进程被 PID {{reaper}} 收养"),
                 lambda w: len(w.adopted()) == count)


def zombies_under_reaper(count: int) -> Check:
    return Check(T(f"{count} zombies whose parent is PID {{reaper}}",
                   f"{count} 个父进程为 PID {{reaper}} 的僵尸进程"),
                 lambda w: len(w.adopted(state="Z")) == count)


NEVER_WAITS = T("PID {reaper}, which never waits: ", "从不等待的 PID {reaper}：")
REAPS = T("PID {reaper}, which reaps: ", "会回收的 PID {reaper}：")

LAB = Lab(
    name="init",
    summary=T(
        "whoever adopts orphans must reap them: a PID 1 (or subreaper) that never waits versus "
        "one that does, like tini",
        "谁收养孤儿进程，谁就得回收它们：从不等待的 PID 1（或收割者），对比会回收的 PID 1（如 tini）",
    ),
    intro=cat(
        ByBackend(
            docker=T("Orphans are adopted by PID 1, so PID 1 must wait for them, or every orphan "
                     "that exits stays a zombie. ",
                     "孤儿进程由 PID 1 收养，所以 PID 1 必须等待它们，否则每个退出的孤儿进程都会一直是"
                     "僵尸进程。"),
            local=T("Orphans are adopted by PID 1, or by the nearest ancestor that declared itself a "
                    "subreaper, which must then wait for them, or every orphan that exits stays a "
                    "zombie. ",
                    "孤儿进程由 PID 1 收养，或者由离它最近的、把自己声明为收割者（subreaper）的祖先进程收养；"
                    "收养者必须等待它们，否则每个退出的孤儿进程都会一直是僵尸进程。"),
        ),
        T("In a container PID 1 is whatever the image runs -- often a program that was never "
          "meant to be an init. ",
          "在容器里，PID 1 就是镜像运行的那个程序——它往往根本不是为充当 init 而写的。"),
        ByBackend(
            docker=T("We run the same orphan-making program in two containers: one whose PID 1 is "
                     "`sleep` (it never waits), one started with Docker's --init, whose PID 1 is "
                     "tini.",
                     "我们在两个容器里运行同一个制造孤儿进程的程序：一个容器的 PID 1 是 `sleep`（它从不"
                     "等待），另一个用 Docker 的 --init 启动，其 PID 1 是 tini。"),
            local=T("Here the lab runs in place, without a container: its programs run under "
                    "proclab's supervisor, a subreaper, which can play both parts. We run the same "
                    "orphan-making program under two supervisors: one told never to wait (like a "
                    "container whose PID 1 is `sleep`), one that reaps (like tini, Docker's --init).",
                    "这里实验在本机原地运行，没有容器：它的程序运行在 proclab 的监督进程之下，监督进程"
                    "是一个收割者（subreaper），两种角色它都能扮演。我们在两个监督进程之下运行同一个制造孤儿进程"
                    "的程序：一个被设定为从不等待（就像 PID 1 是 `sleep` 的容器），另一个会回收（就像 "
                    "Docker 的 --init 所用的 tini）。"),
        ),
    ),
    boxes={"never": Box(init=False), "reaps": Box(init=True)},
    steps=(
        Step(
            title=cat(NEVER_WAITS, T("orphans arrive", "孤儿进程到来")),
            say=cat(
                ByBackend(
                    docker=T("In the first container PID 1 is `sleep`. ", "第一个容器的 PID 1 是 `sleep`。"),
                    local=T("In the first sandbox proclab's supervisor, PID {reaper}, is told never "
                            "to wait for the orphans it adopts. ",
                            "在第一个沙箱里，proclab 的监督进程 PID {reaper} 被设定为从不等待它收养的"
                            "孤儿进程。"),
                ),
                T(f"The program starts {ORPHANS} children and exits at once: PID {{reaper}} adopts them.",
                  f"程序启动 {ORPHANS} 个子进程后立即退出：PID {{reaper}} 收养了它们。"),
            ),
            do=(Run("first", "init/orphans.py", (ORPHANS,)),),
            checks=(orphans_adopted(ORPHANS), reaper_is()),
            show=("tree",),
            box="never",
        ),
        Step(
            title=cat(NEVER_WAITS, T("orphans become zombies", "孤儿进程变成僵尸进程")),
            say=T("The orphans exit. Their parent, PID {reaper}, never calls wait(): they stay zombies.",
                  "孤儿进程退出。它们的父进程 PID {reaper} 从不调用 wait()：它们一直是僵尸进程。"),
            do=(Shell(RELEASE),),
            checks=(zombies_under_reaper(ORPHANS),),
            box="never",
        ),
        Step(
            title=cat(NEVER_WAITS, T("zombies pile up", "僵尸进程越积越多")),
            say=cat(
                T("The same program again: the new orphans join the old zombies, and when they "
                  "exit there are twice as many. Nothing will ever remove them but the end of the ",
                  "再运行一次同一个程序：新的孤儿进程和旧的僵尸进程待在一起，等它们退出后，僵尸进程"
                  "就变成了两倍。除了"),
                ByBackend(
                    docker=T("container", "容器结束"),
                    local=T("sandbox, when the supervisor kills and reaps everything below it",
                            "沙箱结束（那时监督进程会杀死并回收它下面的一切）"),
                ),
                T(".", "，没有任何办法能清除它们。"),
            ),
            do=(Run("second", "init/orphans.py", (ORPHANS,)),),
            checks=(orphans_adopted(2 * ORPHANS),),
            show=(),
            box="never",
        ),
        Step(
            title=cat(NEVER_WAITS, T("twice the zombies", "僵尸进程翻倍")),
            say=T("The second group exits too.", "第二批子进程也退出了。"),
            do=(Shell(RELEASE),),
            checks=(zombies_under_reaper(2 * ORPHANS),),
            box="never",
        ),
        Step(
            title=cat(REAPS, T("orphans arrive", "孤儿进程到来")),
            say=cat(
                ByBackend(
                    docker=T("A second container, started with --init: PID 1 is tini (docker-init). ",
                             "第二个容器用 --init 启动：PID 1 是 tini（docker-init）。"),
                    local=T("A second sandbox, whose supervisor, PID {reaper}, waits for every orphan "
                            "that reaches it, as tini does. ",
                            "第二个沙箱的监督进程 PID {reaper} 会像 tini 一样，等待每一个交到它手上的"
                            "孤儿进程。"),
                ),
                T("The same program makes the same orphans.", "同一个程序制造出同样的孤儿进程。"),
            ),
            do=(Run("third", "init/orphans.py", (ORPHANS,)),),
            checks=(orphans_adopted(ORPHANS), reaper_is()),
            show=("tree",),
            box="reaps",
        ),
        Step(
            title=cat(REAPS, T("orphans are reaped", "孤儿进程被回收")),
            say=T("The orphans exit, and {reaper_name} waits for them: no zombie is left.",
                  "孤儿进程退出，{reaper_name}等待了它们：没有留下任何僵尸进程。"),
            do=(Shell(RELEASE),),
            checks=(orphans_adopted(0),),
            box="reaps",
        ),
        Step(
            title=T("A common misunderstanding: a reaper does not reap everyone's zombies",
                    "常见误解：收养者并不会回收所有人的僵尸进程"),
            say=T("PID {reaper} reaps the processes whose parent it is. A zombie whose parent is "
                  "alive belongs to that parent: no init, no subreaper can touch it. Here a living "
                  "parent keeps a zombie child, and it stays, although PID {reaper} reaps, for as "
                  "long as we look.",
                  "PID {reaper} 只回收以它为父进程的进程。父进程还活着的僵尸进程归那个父进程管：任何 "
                  "init、任何收割者都动不了它。这里有一个活着的父进程留着一个僵尸子进程；尽管 "
                  "PID {reaper} 会回收，只要我们还在观察，它就一直存在。"),
            do=(Run("parent", "zombie/zombie.py"),),
            checks=(Check(T("a zombie child of {parent} that stays one, although PID {reaper} reaps",
                            "父进程 {parent} 的一个僵尸子进程，尽管 PID {reaper} 会回收，它仍一直是僵尸进程"),
                          lambda w: w.child("parent", state="Z"), hold=2.0),),
            box="reaps",
        ),
    ),
    outro=cat(
        ByBackend(
            docker=T("", ""),
            local=T("Outside containers the job falls to PID 1 of the machine (systemd, say), or "
                    "to a subreaper such as proclab's supervisor. ",
                    "在容器之外，这项工作落在本机的 PID 1（例如 systemd）身上，或者落在像 proclab 的"
                    "监督进程这样的收割者身上。"),
        ),
        T("If your container's main program starts children, run it with `docker run --init` "
          "(or `init: true` in Compose), or make it reap what it adopts.",
          "如果容器的主程序会启动子进程，请用 `docker run --init` 运行它（或在 Compose 中设置 "
          "`init: true`），或者让它自己回收它收养的进程。"),
    ),
)
