"""Lab: PID and PPID, and the Linux tools that play the tutorial's tasklist and findstr.

The program prints the PIDs it gets from os.getpid()/os.getppid(); the lab checks each number
against the process table it reads from /proc, so a printout that lies (a PID read before a
fork, say) fails the lab.
"""

import re

from lab.labs.model import ByBackend, Check, Lab, Run, Shell, Step, T, World, cat

FAMILY = ("parent", "first", "second")
GREP_COPY = "grep.txt"  # where `tee` keeps what grep found, for the lab to read (in the working directory)
INTRODUCTION = re.compile(r"^(.+): PID (\d+), PPID (\d+)$", re.MULTILINE)


def printed_ids(w: World, role: str) -> list:
    """(who, PID, PPID) for each "who: PID n, PPID m" line the program `role` printed.

    The spawn lab's program introduces its processes the same way.
    """
    return [(who, int(pid), int(ppid)) for who, pid, ppid in INTRODUCTION.findall(w.output(role))]


def nth_child(index: int):
    """A test: the `index`-th child of the parent by PID, once it has exactly two, both alive."""
    def test(w: World):
        children = w.children("parent")
        return len(children) == 2 and children == w.living_children("parent") and children[index]
    return test


def printed_match_table(w: World) -> bool:
    """The (PID, PPID) pairs printed are exactly the parent's and its children's in the table."""
    lines = printed_ids(w, "parent")
    printed = {pid: ppid for _, pid, ppid in lines}
    family = [w.proc(role) for role in FAMILY]
    observed = {p.pid: p.ppid for p in family if p}
    return len(lines) == len(FAMILY) and printed == observed


def parent_ppid_is_the_starters(w: World) -> bool:
    """The PPID of a program the lab started, both in what the parent printed and in the table:
    0 under docker exec (its parent is outside the container), the supervisor's PID in place."""
    printed = {who: ppid for who, _, ppid in printed_ids(w, "parent")}
    return printed.get("parent") == w.place.started_ppid == w.ppid("parent")


def grep_found_itself(w: World) -> bool:
    """grep's output lists our three processes, and a line of its own pipeline.

    That line is grep itself, or the `sh -c` running the pipe (its command line holds
    "grep python" too); either way a process that has left the table by now.
    """
    text = w.read(GREP_COPY) or ""
    lines = [line.split(None, 10) for line in text.splitlines()]
    found = {int(fields[1]): fields[10] for fields in lines if len(fields) == 11}
    ours = {w.roles[role] for role in FAMILY}
    itself = [pid for pid, command in found.items()
              if "grep python" in command and w.snapshot.pid(pid) is None]
    return ours <= found.keys() and bool(itself)


LAB = Lab(
    name="ps",
    summary=T(
        "every process has a PID and a parent (PPID); tasklist is ps on Linux, findstr is grep",
        "每个进程都有 PID 和父进程（PPID）；Linux 上 tasklist 对应 ps，findstr 对应 grep",
    ),
    intro=T(
        "The kernel gives every process a number, its PID, and remembers which process created "
        "it: its parent, whose PID is the child's PPID. Python asks for them with os.getpid() "
        "and os.getppid(). The tutorial looks processes up on Windows with `tasklist` and "
        "`tasklist | findstr python`; we do the same on Linux, and the lab checks every number "
        "against the process table it reads from /proc. The program starts two children with "
        "multiprocessing, using the fork start method by name (from Python 3.14 Linux defaults "
        "to forkserver, whose children are the server's, not our program's).",
        "内核给每个进程分配一个编号，即 PID，并记住是哪个进程创建了它：它的父进程，父进程的 PID "
        "就是子进程的 PPID。Python 用 os.getpid() 和 os.getppid() 获取它们。教程在 Windows 上用 "
        "`tasklist` 和 `tasklist | findstr python` 查看进程；我们在 Linux 上做同样的事，并且实验会把"
        "每个号码和它从 /proc 读到的进程表逐一核对。程序用 multiprocessing 启动两个子进程，显式指定 "
        "fork 启动方式（从 Python 3.14 起 Linux 默认使用 forkserver，那样创建的子进程属于 "
        "forkserver 服务进程，而不是我们的程序）。",
    ),
    steps=(
        Step(
            title=T("A parent and two children print their PIDs", "父进程和两个子进程打印各自的 PID"),
            say=T(
                "The parent prints os.getpid() and os.getppid(), starts two children, and each "
                "child prints its own. Then all three wait. Each child's PPID should be the "
                "parent's PID, and every printed number should be the one in the table.",
                "父进程打印 os.getpid() 和 os.getppid()，然后启动两个子进程，每个子进程也打印自己的。"
                "之后三个进程都停下来等待。每个子进程的 PPID 应该就是父进程的 PID，而且打印出的每个"
                "号码都应该和进程表里的一致。",
            ),
            do=(Run("parent", "ps/pids.py"),),
            checks=(
                Check(T("a first child of the parent {parent}, with PPID {parent}",
                        "父进程 {parent} 的第一个子进程，PPID 为 {parent}"),
                      nth_child(0), bind="first"),
                Check(T("a second child of {parent}, with PPID {parent} too",
                        "{parent} 的第二个子进程，PPID 也是 {parent}"),
                      nth_child(1), bind="second"),
                Check(T("the printed PIDs and PPIDs are exactly the table's for {parent}, {first}, {second}",
                        "打印出的 PID 和 PPID 与进程表中 {parent}、{first}、{second} 的完全一致"),
                      printed_match_table),
            ),
            show=("tree",),
        ),
        Step(
            title=T("tasklist on Linux: ps", "Linux 上的 tasklist：ps"),
            say=ByBackend(
                docker=T(
                    "`tasklist` lists every process; on Linux that is `ps`. `ps -ef` has a PPID "
                    "column (`ps aux`, the BSD form, shows %CPU and memory instead); `proclab ps` "
                    "shows both. Besides our three processes there are the container's own: PID 1 "
                    "is docker-init (tini) with its child `sleep`, and root's `python3 "
                    "/tmp/proclab/observer.py` is the lab's observer, which reads /proc for the "
                    "checks. Now look at the PPID of our parent, {parent}: 0. Run from a terminal, "
                    "it would be your shell's PID (in the tutorial, on Windows, PyCharm's). But this "
                    "program was started by `docker exec` from outside the container: its real "
                    "parent is a process of the container runtime on the host, outside the "
                    "container's PID namespace, with no number inside it, so the kernel reports "
                    "PPID 0. The observer and ps itself were started the same way: PPID 0 too.",
                    "`tasklist` 列出所有进程；Linux 上对应的是 `ps`。`ps -ef` 有 PPID 一列（BSD 风格的 "
                    "`ps aux` 则显示 %CPU 和内存）；`proclab ps` 两者都显示。除了我们的三个进程，还有容器"
                    "自己的进程：PID 1 是 docker-init（tini），它的子进程是 `sleep`；root 运行的 `python3 "
                    "/tmp/proclab/observer.py` 是实验的观察程序，它读取 /proc 来做检查。再看父进程 "
                    "{parent} 的 PPID：0。如果在终端里运行，这里会是你的 shell 的 PID（教程在 Windows 上"
                    "看到的是 PyCharm 的 PID）。但这个程序是从容器外用 `docker exec` 启动的：它真正的父进程"
                    "是宿主机上容器运行时的一个进程，在容器的 PID 命名空间之外，在容器里没有编号，所以内核"
                    "报告它的 PPID 为 0。观察程序和 ps 本身也是这样启动的，PPID 同样是 0。",
                ),
                local=T(
                    "`tasklist` lists every process; on Linux that is `ps`. `ps -ef` has a PPID "
                    "column (`ps aux`, the BSD form, shows %CPU and memory instead); `proclab ps` "
                    "shows both. The lab runs in place, on this machine, where `ps -ef` lists every "
                    "process of the machine; so we ask ps for the lab's own only: PID {reaper} "
                    "(`-p`) and the children of {reaper} and of our parent (`--ppid`). PID {reaper} "
                    "is proclab's supervisor, a Python process (lab/backends/supervisor.py): the lab "
                    "asks it to start every program. The lab's observer, which reads /proc for the "
                    "checks, runs outside this subtree, so you do not see it. Our three processes "
                    "run as uid {uid}. Now look at the PPID of our parent, {parent}: {reaper}, the "
                    "supervisor. Run from a terminal, it would be your shell's PID (in the "
                    "tutorial, on Windows, PyCharm's): the PPID is whoever started the program. ps "
                    "itself was started the same way: its PPID is {reaper} too.",
                    "`tasklist` 列出所有进程；Linux 上对应的是 `ps`。`ps -ef` 有 PPID 一列（BSD 风格的 "
                    "`ps aux` 则显示 %CPU 和内存）；`proclab ps` 两者都显示。实验在本机原地运行，这里 "
                    "`ps -ef` 会列出整台机器的所有进程；所以我们只向 ps 要实验自己的进程：PID {reaper}"
                    "（`-p`），以及 {reaper} 和我们的父进程的子进程（`--ppid`）。PID {reaper} 是 proclab "
                    "的监督进程，一个 Python 进程（lab/backends/supervisor.py）：实验的每个程序都是请它"
                    "启动的。实验的观察程序读取 /proc 来做检查，它运行在这棵子树之外，所以你看不到它。我们"
                    "的三个进程以 uid {uid} 运行。再看父进程 {parent} 的 PPID：{reaper}，也就是监督进程。"
                    "如果在终端里运行，这里会是你的 shell 的 PID（教程在 Windows 上看到的是 PyCharm 的 "
                    "PID）：PPID 就是启动这个程序的进程。ps 本身也是这样启动的，它的 PPID 同样是 {reaper}。",
                ),
            ),
            do=(Shell(ByBackend(docker="ps -ef", local="ps -f -p {reaper} --ppid {reaper},{parent}")),),
            checks=(Check(T("the parent {parent} has PPID {started_ppid}, in its own printout and in the table",
                            "父进程 {parent} 的 PPID 是 {started_ppid}：它自己的打印和进程表一致"),
                          parent_ppid_is_the_starters),),
            show=("ps",),
        ),
        Step(
            title=T("tasklist | findstr python: grep, pgrep, proclab ps --find",
                    "tasklist | findstr python：grep、pgrep、proclab ps --find"),
            say=cat(
                ByBackend(
                    docker=T(
                        "The tutorial filters the list with `tasklist | findstr python`. The Linux "
                        "classic is `ps aux | grep python` (the lab runs the pipe with `sh -c`, as "
                        f"your terminal's shell would; `tee` keeps a copy in {GREP_COPY}, which the "
                        "lab reads). Look at what it finds besides our three processes and the "
                        "observer: grep itself. ",
                        "教程用 `tasklist | findstr python` 过滤进程列表。Linux 上的经典写法是 "
                        "`ps aux | grep python`（实验用 `sh -c` 运行这个管道，就像终端里的 shell 一样；"
                        f"`tee` 把结果另存一份到 {GREP_COPY}，供实验检查）。看看除了我们的三个进程和观察"
                        "程序，它还找到了什么：grep 自己。",
                    ),
                    local=T(
                        "The tutorial filters the list with `tasklist | findstr python`. The Linux "
                        "classic is `ps aux | grep python`. Here `ps aux` would list every process "
                        "of the machine, so we list those of uid {uid}, the one the lab's programs "
                        "run as, in the same columns: `ps u -u {uid} | grep python` (the lab runs "
                        "the pipe with `sh -c`, as your terminal's shell would; `tee` keeps a copy "
                        f"in {GREP_COPY}, which the lab reads). Look at what it finds besides our "
                        "three processes: grep itself. ",
                        "教程用 `tasklist | findstr python` 过滤进程列表。Linux 上的经典写法是 "
                        "`ps aux | grep python`。在这里 `ps aux` 会列出整台机器的所有进程，所以我们只列出"
                        "实验程序所用的 uid {uid} 的进程，列和 `ps aux` 一样：`ps u -u {uid} | grep "
                        "python`（实验用 `sh -c` 运行这个管道，就像终端里的 shell 一样；`tee` 把结果另存"
                        f"一份到 {GREP_COPY}，供实验检查）。看看除了我们的三个进程，它还找到了什么：grep "
                        "自己。",
                    ),
                ),
                T(
                    "While ps reads the table grep is already running, and its command "
                    "line, `grep python`, contains the word it looks for; the `sh -c` running the "
                    "pipe matches for the same reason. The usual trick is `grep [p]ython`: the "
                    "pattern still matches python, its own command line does not. Tools made for the "
                    "job leave themselves out: ",
                    "ps 读取进程表时 grep 已经在运行，而它的命令行 `grep python` "
                    "恰好包含要找的词；运行管道的 `sh -c` 也因为同样的原因被匹配到。常用的技巧是 "
                    "`grep [p]ython`：这个模式仍然匹配 python，而它自己的命令行却不匹配。专门的工具会把"
                    "自己排除在外：",
                ),
                ByBackend(
                    docker=T("`pgrep -a python`, and `proclab ps --find python`, which shows the PPID "
                             "as well.",
                             "`pgrep -a python`，以及还会显示 PPID 的 `proclab ps --find python`。"),
                    local=T("`pgrep -a -u {uid} python`, and `proclab ps --find python`, which shows "
                            "the PPID as well (with `--under {reaper}`: the supervisor's subtree only).",
                            "`pgrep -a -u {uid} python`，以及还会显示 PPID 的 `proclab ps --find python`"
                            "（加上 `--under {reaper}`：只看监督进程这棵子树）。"),
                ),
            ),
            do=(Shell(ByBackend(docker=f"sh -c 'ps aux | grep python | tee {GREP_COPY}'",
                                local=f"sh -c 'ps u -u {{uid}} | grep python | tee {GREP_COPY}'")),
                Shell(ByBackend(docker="pgrep -a python", local="pgrep -a -u {uid} python")),
                Shell(ByBackend(docker="proclab ps --find python", local="proclab ps --find python --under {reaper}"))),
            checks=(Check(T("grep found {parent}, {first}, {second}, and a line of its own pipeline "
                            "(`grep python`), already gone from the table",
                            "grep 找到了 {parent}、{first}、{second}，还有它自己管道的一行"
                            "（`grep python`），该进程已不在进程表中"),
                          grep_found_itself),),
            show=(),
        ),
        Step(
            title=T("The processes exit", "进程退出"),
            say=T(
                "The lab signals all three at once (`kill` takes several PIDs). The children "
                "return from their function and exit; the parent join()s them, which reaps them "
                "(see `proclab lab zombie`), and exits. Their PIDs leave the table.",
                "实验一次向三个进程发出信号（`kill` 可以接受多个 PID）。子进程从函数返回并退出；"
                "父进程用 join() 等待它们，也就是回收它们（见 `proclab lab zombie`），然后自己退出。"
                "它们的 PID 从进程表中消失。",
            ),
            do=(Shell("kill -USR1 {first} {second} {parent}"),),
            checks=(
                Check(T("{parent}, {first} and {second} all gone from the table",
                        "{parent}、{first} 和 {second} 都已从进程表中消失"),
                      lambda w: all(w.gone(role) for role in FAMILY)),
                Check(T("the parent exited with status 0", "父进程以状态 0 退出"),
                      lambda w: w.exit_code("parent") == 0),
            ),
            show=("ps",),
        ),
    ),
    outro=T(
        "os.getpid() and os.getppid() ask the kernel; ps, pgrep and proclab ps read the same "
        "numbers from /proc. The PPID says who must wait for a process when it ends: the "
        "zombie and orphan labs are about that. Next, `proclab lab spawn`: the two ways to start "
        "a Process.",
        "os.getpid() 和 os.getppid() 是向内核询问；ps、pgrep 和 proclab ps 从 /proc 读到的是同样的"
        "号码。PPID 说明进程结束时由谁来等待（回收）它：僵尸进程和孤儿进程两个实验讲的就是这个。"
        "下一个实验 `proclab lab spawn`：创建 Process 的两种方式。",
    ),
)
