"""Lab: each process has its own memory -- a global variable, and what id() really compares.

The values and ids are what the programs measured in their own memory; the lab reads them from
files named by PID in the programs' working directory (n.<PID>, ids.<PID>), so each is tied to
a process the table shows, with its PPID, at the moment it measured. What explains the ids is checked in the table and in
/proc/<pid>/maps: the command line a child runs (a copy of its parent, or a new program), and
where python3 is mapped, and which version of Python each process runs (ids.py writes it down).
"""

import json
import os
from typing import Optional

from lab.labs.claims import exited
from lab.labs.model import ByBackend, Check, Lab, Run, Shell, Step, T, World
from lab.procfs import FORK_SERVER

# The names under which programs/isolation/ids.py measures its objects.
IN_PYTHON3 = ("100", "None")  # part of python3's own data, not made at run time (100: see static_small_ints)
MADE_AT_RUN_TIME = ("257", "10**20", "[1, 2, 3]", "'hello, world'")
OBJECTS = IN_PYTHON3 + MADE_AT_RUN_TIME


def n_seen(w: World, role: str) -> Optional[str]:
    """The n that globals.py, running as `role`, wrote to n.<PID>; None until written."""
    text = w.read(f"n.{w.roles[role]}")
    return text.strip() if text else None


def measured(w: World, pid: int) -> dict:
    """What ids.py wrote in process `pid` (ids.<pid>): {"python": [3, 11], "ids": {name: id}};
    empty until written."""
    text = w.read(f"ids.{pid}")
    try:
        return json.loads(text) if text else {}
    except ValueError:
        return {}  # read while being written: the check looks again


def ids(w: World, pid: int) -> dict:
    """The ids that ids.py measured in process `pid`; empty until written."""
    return measured(w, pid).get("ids", {})


def python(w: World, role: str) -> Optional[tuple]:
    """The version of Python (major, minor) that `role` runs, as it wrote it; None until written."""
    version = measured(w, w.roles[role]).get("python")
    return tuple(version) if version else None


def static_small_ints(version: tuple) -> bool:
    """Whether CPython `version` keeps its small ints in its own data, as it keeps None: up to 3.8
    (a static array) and from 3.11 (static objects of the runtime). In 3.9 and 3.10 each
    interpreter made its own at start-up, on its heap."""
    return not (3, 9) <= version <= (3, 10)


def built_in(w: World, role: str) -> tuple:
    """Which of IN_PYTHON3 are part of python3 itself in the version `role` runs."""
    version = python(w, role)
    if version is None:
        return ()
    return tuple(name for name in IN_PYTHON3 if name == "None" or static_small_ints(version))


def same_ids(w: World, a: str, b: str, names: tuple) -> Optional[list]:
    """Name by name, whether `a` and `b` measured the same id; None unless both measured all."""
    first, second = ids(w, w.roles[a]), ids(w, w.roles[b])
    if not all(name in first and name in second for name in names):
        return None
    return [first[name] == second[name] for name in names]


def command(w: World, role: str) -> tuple:
    """The command line of `role` as the table shows it; empty once it has gone."""
    process = w.proc(role)
    return process.cmdline if process else ()


def python3_mappings(w: World, role: str) -> list:
    """(start, end) of each mapping of python3 itself in /proc/<pid>/maps of `role`: its
    executable, and its libpython where python3 is built with a shared one (Fedora's, say).

    The lab reads as the student, who may read the maps of their own processes.
    """
    found = []
    for line in (w.read(f"/proc/{w.roles[role]}/maps") or "").splitlines():
        fields = line.split()
        if len(fields) == 6 and os.path.basename(fields[5]).startswith(("python3", "libpython3")):
            start, end = fields[0].split("-")
            found.append((int(start, 16), int(end, 16)))
    return found


def measured_child(parent: str, bind: str) -> Check:
    """The live child of `parent` that has written its ids: a process of its own, seen with its PPID."""
    return Check(
        T(f"a child of {{{parent}}} with a PID of its own, that wrote ids.<its PID>",
          f"{{{parent}}} 的一个子进程，有自己的 PID，并写好了 ids.<它的 PID>"),
        lambda w: next((p for p in w.children(parent) if p.state != "Z" and ids(w, p.pid)), None),
        bind=bind,
    )


def made_anew(parent: str, child: str) -> Check:
    """The objects a new interpreter made itself do not all sit where the parent's do.

    A claim that cannot flake under spawn and forkserver: the new heap lies elsewhere (ASLR), and
    even in the same place a new interpreter would not repeat the parent's allocations one for
    one. 100 and None are left out: whether they match depends on where python3 is loaded.
    """
    return Check(
        T(f"the ids of 257, 10**20, the list and the string in {{{child}}} are not all those of {{{parent}}}",
          f"{{{child}}} 中 257、10**20、列表和字符串的 id 并不都和 {{{parent}}} 中的相同"),
        lambda w: (same := same_ids(w, parent, child, MADE_AT_RUN_TIME)) is not None and not all(same),
    )


def in_python3_in_each(w: World) -> bool:
    """In the spawned child and in its parent, id(None) points into the memory where that process
    has python3 mapped, and id(100) does exactly when its version keeps small ints there."""
    for role in ("spawn", "spawned"):
        found, mappings, inside = ids(w, w.roles[role]), python3_mappings(w, role), built_in(w, role)
        if not mappings or not inside or not all(name in found for name in IN_PYTHON3):
            return False
        if any(any(start <= found[name] < end for start, end in mappings) != (name in inside)
               for name in IN_PYTHON3):
            return False
    return True


def both_3_11_or_later(w: World) -> bool:
    spawn, spawned = python(w, "spawn"), python(w, "spawned")
    return spawn is not None and spawn == spawned and spawn >= (3, 11)


def same_python3_place(w: World) -> bool:
    return bool(mapped := python3_mappings(w, "spawn")) and mapped == python3_mappings(w, "spawned")


def built_in_ids_equal(w: World) -> bool:
    return same_ids(w, "spawn", "spawned", IN_PYTHON3) == [True] * len(IN_PYTHON3)


def equal_exactly_when_same_place(w: World) -> bool:
    """The ids of the objects that are part of python3 match in both processes if python3 sits at
    the same addresses in both, and differ if it does not: whichever python3 this machine has
    (PIE or not, whatever its version)."""
    names = built_in(w, "spawn")
    same = same_ids(w, "spawn", "spawned", names)
    if not names or same is None or not python3_mappings(w, "spawn"):
        return False
    return same == [same_python3_place(w)] * len(names)


STATIC_SMALL_INTS = Check(T("{spawn} and {spawned} run CPython 3.11 or later (the version each wrote to ids.<its PID>)",
                            "{spawn} 和 {spawned} 运行的都是 CPython 3.11 或更新的版本（各自写在 ids.<自己的 PID> 里）"),
                          both_3_11_or_later)
SAME_PLACE = Check(T("python3 is mapped at the same addresses in {spawn} and {spawned}",
                     "python3 在 {spawn} 和 {spawned} 中映射在相同的地址"), same_python3_place)
IN_PYTHON3_EACH = Check(T("in {spawn} and in {spawned}, id(None) points into python3's own memory, and so does "
                          "id(100) unless that python3 is CPython 3.9 or 3.10",
                          "在 {spawn} 和 {spawned} 中，id(None) 都指向该进程里 python3 本身的内存；除非 python3 是 "
                          "CPython 3.9 或 3.10，id(100) 也是如此"),
                        in_python3_in_each)
BUILT_IN_IDS_EQUAL = Check(T("id(100) and id(None) are equal in both", "id(100) 和 id(None) 在两个进程中相同"),
                           built_in_ids_equal)
EQUAL_EXACTLY_WHEN_SAME_PLACE = Check(
    T("the ids of what is part of python3 are equal in both exactly when python3 is mapped at the same "
      "addresses in both",
      "属于 python3 本身的对象，其 id 在两个进程中相同，当且仅当 python3 在两个进程中映射在相同的地址"),
    equal_exactly_when_same_place)


def fork_server(w: World):
    """The child of the program that runs multiprocessing's fork server."""
    return next((p for p in w.children("forkserver") if p.runs(FORK_SERVER)), None)


LAB = Lab(
    name="isolation",
    summary=T(
        "each process has its own memory: a child's change to a global is not seen by its parent; "
        "what id() compares",
        "每个进程都有自己的内存：子进程修改全局变量，父进程看不到；跨进程比较 id() 到底比较的是什么",
    ),
    intro=T(
        "The tutorial shows that processes do not share memory with a global variable that a "
        "child changes and its parent does not see. Then it compares id() of small integers in "
        "parent and child, finds them equal, and credits the small-integer pool (-5..256), while "
        "other objects differ. We measure both claims. In CPython, id() is an object's address "
        "in the memory of its process, so comparing ids across processes asks where each "
        "process keeps its objects -- and that depends on how the child was started (the start "
        "method) and on the platform.",
        "教程用一个全局变量说明进程之间不共享内存：子进程修改了它，父进程却看不到。接着它比较父进程"
        "和子进程中小整数的 id()，发现相同，并归功于小整数池（-5 到 256），而其他对象的 id 不同。"
        "这里我们把这两个结论都实际测量一遍。在 CPython 中，id() 就是对象在本进程内存中的地址，所以"
        "跨进程比较 id，问的其实是每个进程把对象放在内存的什么位置——这取决于子进程是怎样创建的"
        "（启动方式），也取决于平台。",
    ),
    steps=(
        Step(
            title=T("A child changes a global variable", "子进程修改全局变量"),
            say=T(
                "The tutorial's example: n = 100 at module level. The parent starts a child with "
                "the fork start method; the child sets n = 0, writes the n it sees to the "
                "file n.<its PID> in its working directory, and waits. Fork makes the child a copy of the parent, n "
                "included: from now on each process has its own n.",
                "教程里的例子：模块顶层有 n = 100。父进程用 fork 启动方式创建一个子进程；子进程把 n 改成 "
                "0，把自己看到的 n 写到工作目录下的文件 n.<自己的 PID>，然后等待。fork 出来的子进程是父进程的一份"
                "拷贝，n 也一起拷贝了：从这时起，两个进程各有各的 n。",
            ),
            do=(Run("parent", "isolation/globals.py"),),
            checks=(
                Check(T("a child of {parent} (PPID {parent}) with a PID of its own",
                        "{parent} 的一个子进程（PPID 为 {parent}），有自己的 PID"),
                      lambda w: w.child("parent", state="S"), bind="child"),
                Check(T("the child {child} wrote n = 0 to n.{child}",
                        "子进程 {child} 把 n = 0 写进了 n.{child}"),
                      lambda w: n_seen(w, "child") == "0"),
            ),
            show=("ps",),
        ),
        Step(
            title=T("The child exits; then the parent looks at its n", "子进程退出后，父进程再看自己的 n"),
            say=T(
                "The lab lets the child go, and it exits. The parent has been waiting in join(); "
                "when join() returns, the child has exited and been reaped, and only then does "
                "the parent write the n it sees to n.<its PID>. Looking after the change "
                "matters: the tutorial's parent prints right after start(), perhaps before the "
                "child has even run, and then an unchanged n proves nothing.",
                "实验放行子进程，子进程随即退出。父进程一直在 join() 里等待；join() 返回时，子进程已经"
                "退出并被回收，父进程这时才把自己看到的 n 写到 n.<自己的 PID>。在子进程修改之后"
                "再看，这一点很重要：教程里的父进程在 start() 之后马上打印，那时子进程可能还没运行，"
                "n 没变也就说明不了什么。",
            ),
            do=(Shell("kill -USR1 {child}"),),
            checks=(
                Check(T("the child {child} gone: exited, and reaped by join()",
                        "子进程 {child} 已消失：已经退出，并被 join() 回收"),
                      lambda w: w.gone("child")),
                Check(T("n.{parent} holds 100: the parent's n did not change",
                        "n.{parent} 的内容是 100：父进程的 n 没有改变"),
                      lambda w: n_seen(w, "parent") == "100"),
                exited("parent"),
            ),
            show=(),
        ),
        Step(
            title=T("fork: id() in parent and child", "fork：父进程和子进程中的 id()"),
            say=T(
                "Now the tutorial's second claim. This program measures id() of six objects -- "
                "the small int 100, None, 257 (the first int outside the small-integer pool), "
                "10**20, a list and a string -- and starts one child, which measures the objects "
                "of the same names in its own memory. The parent prints both side by side; each "
                "process also writes its ids to ids.<its PID>, where the lab reads them. "
                "First with the fork start method.",
                "现在来看教程的第二个结论。这个程序测量六个对象的 id()——小整数 100、None、257（小整数池"
                "之外的第一个整数）、10**20、一个列表和一个字符串——然后创建一个子进程，子进程在自己的"
                "内存中测量同名对象的 id()。父进程把两边的结果并排打印出来；每个进程还会把自己测到的 id "
                "写到 ids.<自己的 PID>，供实验读取。先用 fork 启动方式。",
            ),
            do=(Run("fork", "isolation/ids.py", ("fork",)),),
            checks=(
                measured_child("fork", bind="forked"),
                Check(T("{forked} runs the very command line of {fork}: fork copied the process, "
                        "no new program was started",
                        "{forked} 的命令行与 {fork} 完全相同：fork 复制了进程，并没有启动新程序"),
                      lambda w: (line := command(w, "forked")) and line == command(w, "fork")),
                Check(T("every id() in {forked} equals the one in {fork}, not only the small int's",
                        "{forked} 中每个对象的 id() 都与 {fork} 中的相同，不只是小整数"),
                      lambda w: same_ids(w, "fork", "forked", OBJECTS) == [True] * len(OBJECTS)),
            ),
            show=("tree",),
        ),
        Step(
            title=T("spawn: a new interpreter makes new objects", "spawn：新的解释器创建新的对象"),
            say=T(
                "Under fork every id matched: 10**20 and the list as well as 100. The child's "
                "memory is a copy of its parent's (copied lazily, page by page, when one of them "
                "writes: copy-on-write), so every object is at the same address in both. The "
                "small-integer pool has nothing to do with it. Now the same program with spawn: "
                "the child is a new python3, which runs this file again and makes its own "
                "objects. (The parent's other child in the tree is multiprocessing's resource "
                "tracker, which spawn starts too.)",
                "在 fork 下所有 id 都相同：10**20 和列表也和 100 一样。子进程的内存是父进程内存的拷贝"
                "（按页延迟复制，某一方写入时才真正复制：写时复制），所以每个对象在两个进程中的地址都"
                "一样。这和小整数池毫无关系。接下来用 spawn 运行同一个程序：子进程是一个全新的 "
                "python3，它重新执行这个文件，创建自己的对象。（进程树中父进程的另一个子进程是 multiprocessing 的"
                "资源跟踪进程 resource tracker，spawn 也会启动它。）",
            ),
            do=(Shell("kill -USR1 {fork}"), Run("spawn", "isolation/ids.py", ("spawn",))),
            checks=(
                exited("fork"),
                measured_child("spawn", bind="spawned"),
                Check(T("{spawned} is a new program: python3 running multiprocessing's spawn_main, "
                        "not the command line of {spawn}",
                        "{spawned} 是一个新程序：运行 multiprocessing 的 spawn_main 的 python3，命令行与 {spawn} 不同"),
                      lambda w: "spawn_main" in " ".join(command(w, "spawned"))),
                made_anew("spawn", "spawned"),
            ),
            show=("tree",),
        ),
        Step(
            # The image's python3 is Debian's, known; in place it is this machine's, whatever it is.
            title=ByBackend(
                docker=T("Why 100 and None still match under spawn", "为什么在 spawn 下 100 和 None 的 id 仍然相同"),
                local=T("100 and None under spawn: it depends on this python3",
                        "spawn 下的 100 和 None：取决于这台机器的 python3"),
            ),
            say=ByBackend(
                docker=T(
                    "In the table, 257, 10**20, the list and the string have new ids in the spawned "
                    "child, but 100 and None kept theirs -- and None is no small int. Both are part "
                    "of the python3 executable itself (its data), not made at run time: None in "
                    "every version of CPython, the small ints from 3.11 on, and this python3 is one "
                    "of those. (In 3.9 and 3.10 each interpreter made its own small ints when it "
                    "started, on its heap, and id(100) differed under spawn too; up to 3.8 they "
                    "were in python3's data, as now.) This Debian python3 is not a "
                    "position-independent executable (PIE), so every process has it mapped at the "
                    "same fixed address, its data included: /proc/<pid>/maps shows where. A "
                    "python3 built as PIE would be loaded at a random address in each new process "
                    "(ASLR), and then even id(100) would differ under spawn.",
                    "表格里，spawn 出来的子进程中 257、10**20、列表和字符串的 id 都变了，但 100 和 None 的 "
                    "id 没变——而 None 根本不是小整数。这两个对象都是 python3 可执行文件本身的一部分（在它"
                    "的数据段里），不是运行时创建的：None 在所有 CPython 版本中都是如此，小整数则从 3.11 "
                    "起如此，这里的 python3 正是这样的版本。（在 3.9 和 3.10 中，每个解释器启动时才在自己"
                    "的堆上创建小整数，所以在 spawn 下 id(100) 也不同；3.8 及以前，小整数和现在一样在 "
                    "python3 的数据段里。）这个 Debian 的 python3 不是位置无关可执行文件（PIE），所以每个"
                    "进程都把它映射在同一个固定地址，数据段也不例外：/proc/<pid>/maps 显示了具体位置。"
                    "如果 python3 编译成 PIE，每个新进程都会把它加载到随机地址（ASLR），那么在 spawn 下"
                    "连 id(100) 也会不同。",
                ),
                local=T(
                    "Look at 100 and None in the table -- and None is no small int. None is part of "
                    "python3 itself (the data of its executable, or of its libpython where python3 "
                    "is built with a shared one), not made at run time; so are the small ints from "
                    "CPython 3.11 on. (In 3.9 and 3.10 each interpreter made its own small ints "
                    "when it started, on its heap; up to 3.8 they were part of python3 too.) The "
                    "ids of what is part of python3 say where each process has python3 loaded. A "
                    "python3 that is not a position-independent executable (Debian's, for one) "
                    "sits at the same fixed address in every process, and then those ids match "
                    "even under spawn; one built as PIE is loaded at a random address in each new "
                    "process (ASLR), and then they differ. The programs run this machine's "
                    "python3: /proc/<pid>/maps shows where it sits in each process, and ids.<PID> "
                    "its version.",
                    "看看表格里的 100 和 None——而 None 根本不是小整数。None 是 python3 本身的一部分（在它"
                    "的可执行文件的数据段里；如果 python3 编译时使用共享的 libpython，则在 libpython 的"
                    "数据段里），不是运行时创建的；从 CPython 3.11 起，小整数也是如此。（在 3.9 和 3.10 "
                    "中，每个解释器启动时才在自己的堆上创建小整数；3.8 及以前，它们也是 python3 本身的"
                    "一部分。）属于 python3 本身的对象，其 id 反映的是每个进程把 python3 加载到了哪里。"
                    "不是位置无关可执行文件（PIE）的 python3（例如 Debian 的）在每个进程中都位于同一个"
                    "固定地址，那么即使在 spawn 下这些 id 也相同；编译成 PIE 的 python3 在每个新进程中"
                    "都被加载到随机地址（ASLR），这些 id 就不同。这里的程序运行的是这台机器的 python3："
                    "/proc/<pid>/maps 显示了它在每个进程中的位置，ids.<PID> 里记着它的版本。",
                ),
            ),
            do=(Shell("grep -E 'bin/python3|libpython3' /proc/{spawn}/maps /proc/{spawned}/maps"),),
            checks=ByBackend(
                docker=(STATIC_SMALL_INTS, SAME_PLACE, IN_PYTHON3_EACH, BUILT_IN_IDS_EQUAL),
                local=(IN_PYTHON3_EACH, EQUAL_EXACTLY_WHEN_SAME_PLACE),
            ),
            show=(),
        ),
        Step(
            title=T("forkserver: Python 3.14's default on Linux", "forkserver：Python 3.14 在 Linux 上的默认方式"),
            say=T(
                "From Python 3.14 the default start method on Linux is forkserver: the first "
                "start() launches a server, a new python3, and every child is forked from that "
                "server, not from your program. So the tutorial's code, run unchanged on 3.14, "
                "is in spawn's situation here: the child's objects are not its parent's. In the "
                "tree: the program, its resource tracker, and the fork server with the child "
                "under it.",
                "从 Python 3.14 起，Linux 上默认的启动方式是 forkserver：第一次 start() 会启动一个服务"
                "进程（一个全新的 python3），之后每个子进程都由这个服务进程 fork 出来，而不是由你的程序 "
                "fork。所以教程的代码不加修改地在 3.14 上运行，情况和 spawn 一样：子进程里的对象不是父"
                "进程的那些。进程树中依次是：程序本身、它的资源跟踪进程，以及 fork 服务进程和它下面的"
                "子进程。",
            ),
            do=(Shell("kill -USR1 {spawn}"), Run("forkserver", "isolation/ids.py", ("forkserver",))),
            checks=(
                exited("spawn"),
                Check(T("a child of {forkserver} running the fork server, a new python3",
                        "{forkserver} 的一个子进程，运行着 fork 服务进程：一个全新的 python3"),
                      fork_server, bind="server"),
                measured_child("server", bind="served"),
                made_anew("forkserver", "served"),
            ),
            show=("tree",),
        ),
        Step(
            title=T("The program exits, and its fork server too", "程序退出，它的 fork 服务进程也随之退出"),
            say=T(
                "The parent lets its child go, joins it and exits. The fork server, which only "
                "serves the program that started it, exits when that program is gone.",
                "父进程让子进程结束，join() 回收它，然后退出。fork 服务进程只为启动它的那个程序服务，"
                "那个程序一退出，它也就退出了。",
            ),
            do=(Shell("kill -USR1 {forkserver}"),),
            checks=(exited("forkserver"),
                    Check(T("the fork server {server} gone", "fork 服务进程 {server} 已消失"),
                          lambda w: w.gone("server"))),
            show=("ps",),
        ),
    ),
    outro=T(
        "The tutorial's conclusion describes Windows, where there is no fork and every child is "
        "spawned: a new interpreter that makes its objects anew, so their ids differ; the small "
        "ints, though, are part of Python's DLL (up to Python 3.8, and again from 3.11), which "
        "Windows maps at the same address in every process, so their ids matched. On Linux: "
        "with fork, every object made before the fork has the same id in the child, small or "
        "not; with spawn and forkserver, objects the child makes anew get new ids, and objects "
        "built into python3 (None; the small ints from 3.11 on) keep theirs only when python3 "
        "sits at the same address. What holds "
        "everywhere is the first lesson: each process has its own memory. Equal ids in two "
        "processes never mean one shared object; to share data, send it through a Queue or a "
        "Pipe, or put it in shared memory (multiprocessing.Value, Array).",
        "教程的结论描述的是 Windows：那里没有 fork，每个子进程都是 spawn 出来的——一个重新创建自己"
        "对象的新解释器，所以对象的 id 不同；而小整数是 Python 的 DLL 的一部分（Python 3.8 及以前，"
        "以及 3.11 起），Windows 在每个进程中都把这个 DLL 映射在同一个地址，所以小整数的 id 相同。"
        "在 Linux 上：用 fork 时，fork 之前创建的每个对象在子进程中的 id 都相同，不管是不是小整数；"
        "用 spawn 和 forkserver 时，子进程重新创建的对象得到新的 id，而 python3 内置的对象（None；"
        "3.11 起还有小整数）只有在 python3 位于同一地址时才保持相同的 id。处处成立的是第一课：每个进程都有自己的内存。两个进程"
        "中 id 相同，绝不意味着它们共享同一个对象；要共享数据，请通过队列（Queue）或管道（Pipe）发送，"
        "或者放进共享内存（multiprocessing.Value、Array）。",
    ),
)
