"""Lab: the two ways to create a Process, and start() as the one thing that creates a process.

Which child is which cannot be seen in the table (both run the same command line), so each
child is named by the PID it prints, and that PID must be a live child of the parent there.
"""

from lab.labs.claims import zombie_with_exit_code
from lab.labs.model import Check, Lab, Run, Shell, Step, T, World
from lab.labs.ps import printed_ids

CREATED = "two Process objects created, none started"  # what the program prints before start()


def no_child_yet(w: World) -> bool:
    """The parent has said it created both objects, and has no child at all."""
    return CREATED in w.output("parent") and w.alive("parent") and not w.children("parent")


def run_in_parent(w: World) -> bool:
    """second.run(), called directly, printed the parent's own PID and PPID."""
    parent = w.proc("parent")
    return bool(parent) and ("second", parent.pid, parent.ppid) in printed_ids(w, "parent")


def started(name: str):
    """A test: the live child of the parent that printed `name` with its own PID."""
    def test(w: World):
        parent = w.roles["parent"]
        pids = [pid for who, pid, ppid in printed_ids(w, "parent") if who == name and ppid == parent]
        return next((c for c in w.living_children("parent") if c.pid in pids), None)
    return test


def both_alive(w: World) -> bool:
    first, second = w.proc("first"), w.proc("second")
    parent = w.roles["parent"]
    return (w.alive("first") and w.alive("second") and first.pid != second.pid
            and first.ppid == second.ppid == parent)


LAB = Lab(
    name="spawn",
    summary=T(
        "two ways to create a Process (target=function, or a subclass with run()); start() makes the process",
        "创建进程的两种方式（target=函数，或继承 Process 重写 run()）；start() 才真正创建进程",
    ),
    intro=T(
        "The tutorial creates a process in two ways: `Process(target=task, args=('first',))`, "
        "which will call a function, and a subclass of Process that overrides run(). Either way "
        "the Process object is only a description: the process itself is created by start(), "
        "which forks a child that calls run() (the default run() calls target(*args)). The "
        "program makes one of each, with the fork start method asked for by name (from Python "
        "3.14 Linux defaults to forkserver, whose children are the server's, not ours).",
        "教程介绍了创建进程的两种方式：`Process(target=task, args=('first',))`，让子进程去调用一个"
        "函数；以及继承 Process 类并重写 run() 方法。无论哪种方式，Process 对象都只是一个描述：真正"
        "创建进程的是 start()，它 fork 出一个子进程，由子进程调用 run()（默认的 run() 就是调用 "
        "target(*args)）。程序两种方式各创建一个，并显式指定 fork 启动方式（从 Python 3.14 起 Linux "
        "默认使用 forkserver，那样创建的子进程属于 forkserver 服务进程，而不是我们的程序）。",
    ),
    steps=(
        Step(
            title=T("Two Process objects, no process yet", "两个 Process 对象，还没有进程"),
            say=T(
                "The parent creates `first = Process(target=task, args=('first',))` and "
                "`second = MyProcess('second')`, then stops before calling start(). Creating the "
                "objects creates no process: the parent has no child.",
                "父进程创建了 `first = Process(target=task, args=('first',))` 和 "
                "`second = MyProcess('second')`，然后在调用 start() 之前停下。创建对象并不会创建进程："
                "父进程没有任何子进程。",
            ),
            do=(Run("parent", "spawn/two_ways.py"),),
            checks=(Check(T("{parent} says both objects exist, and it has no child (for 1 s)",
                            "{parent} 表示两个对象都已创建，而它没有任何子进程（持续 1 秒）"),
                          no_child_yet, hold=1.0),),
            show=("tree",),
        ),
        Step(
            title=T("run() called directly runs in the parent", "直接调用 run()：代码在父进程里运行"),
            say=T(
                "Now the parent calls second.run() itself, like any method -- which is all it "
                "is. The code runs in the parent: it prints the parent's own PID, {parent}, and "
                "the parent's PPID, then waits there. No new process appears.",
                "现在父进程自己调用 second.run()，就像调用任何方法一样——它本来就只是一个普通方法。"
                "代码在父进程中运行：打印出的是父进程自己的 PID {parent} 和父进程的 PPID，然后在那里"
                "等待。没有新进程出现。",
            ),
            do=(Shell("kill -USR1 {parent}"),),
            checks=(
                Check(T("second.run() printed PID {parent} and PPID {started_ppid}: the parent's own",
                        "second.run() 打印的 PID 是 {parent}、PPID 是 {started_ppid}：都是父进程自己的"),
                      run_in_parent),
                Check(T("still no child of {parent} while run() runs in it (for 1 s)",
                        "run() 在父进程中运行期间，{parent} 仍然没有子进程（持续 1 秒）"),
                      lambda w: w.alive("parent") and not w.children("parent"), hold=1.0),
            ),
            show=("tree",),
        ),
        Step(
            title=T("start() creates the processes", "start() 才创建进程"),
            say=T(
                "run() returns, and the parent calls first.start() and second.start(). Each "
                "start() forks a new process, which calls run(): for first the default run(), "
                "which calls task('first'); for second the overridden one. This time each prints "
                "its own PID, with the parent's as PPID, and waits: two separate processes at "
                "the same time.",
                "run() 返回后，父进程调用 first.start() 和 second.start()。每次 start() 都会 fork 出"
                "一个新进程，并在新进程中调用 run()：first 用的是默认的 run()，即调用 task('first')；"
                "second 用的是重写后的 run()。这一次它们各自打印自己的 PID，PPID 是父进程的 PID，然后"
                "等待：同时存在两个独立的子进程。",
            ),
            do=(Shell("kill -USR1 {parent}"),),
            checks=(
                Check(T("a child of {parent} that printed \"first\" and its own PID",
                        "{parent} 的一个子进程打印了 \"first\" 和它自己的 PID"),
                      started("first"), bind="first"),
                Check(T("a child of {parent} that printed \"second\" and its own PID",
                        "{parent} 的一个子进程打印了 \"second\" 和它自己的 PID"),
                      started("second"), bind="second"),
                Check(T("{first} and {second} alive at the same time: two processes, both with PPID {parent}",
                        "{first} 和 {second} 同时存活：两个独立的进程，PPID 都是 {parent}"),
                      both_alive),
            ),
            show=("tree",),
        ),
        Step(
            title=T("Both children exit with code 0", "两个子进程都以退出码 0 结束"),
            say=T(
                "The lab lets both children go on. Their run() returns, and a child whose run() "
                "returns exits with code 0 (an uncaught exception would give 1). The parent has "
                "not joined them yet, so each stays a zombie for now, and the table shows the "
                "exit status the parent will collect.",
                "实验让两个子进程继续运行。它们的 run() 返回了，而 run() 正常返回的子进程以退出码 0 "
                "结束（如果有未捕获的异常，则是 1）。父进程还没有 join() 它们，所以它们暂时都是僵尸"
                "进程，进程表里能看到父进程将要取得的退出状态。",
            ),
            do=(Shell("kill -USR1 {first} {second}"),),
            checks=(zombie_with_exit_code("first", 0), zombie_with_exit_code("second", 0)),
        ),
        Step(
            title=T("join() collects them, and the parent exits 0", "join() 回收子进程，父进程以 0 退出"),
            say=T(
                "The parent joins both children, which reaps them, prints the exitcode that "
                "join() collected for each, and reaches the end of its program: exit status 0.",
                "父进程对两个子进程调用 join()，把它们回收，打印 join() 为每个子进程取得的 exitcode，"
                "然后执行到程序末尾：退出状态为 0。",
            ),
            do=(Shell("kill -USR1 {parent}"),),
            checks=(
                Check(T("{first} and {second} gone from the table", "{first} 和 {second} 已从进程表中消失"),
                      lambda w: w.gone("first") and w.gone("second")),
                Check(T("the parent printed exitcode 0 for both, as the table showed",
                        "父进程打印出两个 exitcode 都是 0，与进程表一致"),
                      lambda w: "exit codes 0 and 0" in w.output("parent")),
                Check(T("the parent exited with status 0", "父进程以状态 0 退出"),
                      lambda w: w.exit_code("parent") == 0),
            ),
            show=("ps",),
        ),
    ),
    outro=T(
        "Two ways to write what a process does, one way to create it: start(). Calling run() "
        "yourself is an ordinary call, in your own process -- the usual mistake when "
        "\"parallel\" children seem to run one after another. Next, `proclab lab isolation`: does "
        "a child share its parent's variables?",
        "描述进程要做什么有两种写法，创建进程却只有一种：start()。自己调用 run() 只是一次普通的方法"
        "调用，在你自己的进程里执行——如果本该并行的子进程看起来是一个接一个运行的，常常就是犯了这个"
        "错误。下一个实验 `proclab lab isolation`：子进程和父进程共享变量吗？",
    ),
)
