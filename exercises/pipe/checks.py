"""Grading the pipe exercise: 1..N through a Pipe, a child that reads until EOFError, a parent that joins.

The classic failure is a hang: `recv()` raises EOFError only once *every* copy of the sending end
is closed, including the copy the child inherited at the fork (or was given as an argument). A
hanging program is killed at the time limit, and the table at that moment shows who is blocked:
the child, alive in state S, waiting in recv(); the parent, alive in state S, waiting in join().

Two runs: N = 100, and N = 50000, long enough (the child reads for a good fraction of a second)
for the process table to show the child for certain. With N = 100 the whole exchange may fit
between two samples, so a child that was not seen there proves nothing: children are required
to be seen only in the long run. PID 1 of the container never reaps, so a child nobody waited
for stays in the table as a zombie, with its exit status, after the program has ended.

Every start method passes: the Run counts the children a fork server forks as the main
process's, and leaves Python's helpers (resource tracker, fork server) out.
"""

from lab.grading import Exercise, Failed, T, Trial, join, state_of

SHORT = Trial("N=100", env={"N": "100"})
LONG = Trial("N=50000", env={"N": "50000"})

# The reference takes 0.3-2 s a run; a hang is killed at 10 s.
exercise = Exercise("pipe", T("Send 1..N through a Pipe; the child sums until EOFError",
                              "通过 Pipe 发送 1..N；子进程一直求和，直到 EOFError"),
                    trials=(SHORT, LONG), time_limit=10)


def n_of(run):
    return int(run.trial.env["N"])


def long_run(run):
    return run.trial is LONG or run.trial.name == LONG.name


def blocked_child(child) -> T:
    """Why a child left at the time limit is still there, in one phrase."""
    if child.state == "Z":
        return T(f"the child PID {child.pid} has ended (a zombie) but is not joined",
                 f"子进程 PID {child.pid} 已经结束（僵尸进程），但没有被 join")
    if child.state in "SD":
        return T(f"the child PID {child.pid} is still alive ({state_of(child).en}): it waits in recv() for an "
                 "EOFError that never comes, because a copy of the sending end is still open (the child's own, "
                 "inherited at the fork or passed to it, or the parent's)",
                 f"子进程 PID {child.pid} 仍然活着（{state_of(child).zh}）：它在 recv() 中等待一个永远不会来的 "
                 "EOFError，因为发送端还有一个副本没有关闭（子进程自己的那个——fork 时继承的或作为参数传给它的，"
                 "或者父进程的那个）")
    return T(f"the child PID {child.pid} is still alive ({state_of(child).en})",
             f"子进程 PID {child.pid} 仍然活着（{state_of(child).zh}）")


@exercise.check(points=2, title=T("the program ends: the child gets `EOFError`, and the parent's `join()` returns",
                                  "程序会结束：子进程得到 `EOFError`，父进程的 `join()` 返回"),
                hint=T("close every copy of the sending end: the parent closes its own after sending, and the "
                       "child closes the one it inherited at the fork (or was given) before it starts to recv()",
                       "关闭发送端的每一个副本：父进程发送完后关闭自己的那个，子进程在开始 recv() 之前关闭它在 "
                       "fork 时继承的（或作为参数得到的）那个"))
def child_gets_eof(run):
    if not run.timed_out:
        return run.exited_at
    main = run.leftovers.pid(run.main)
    children = run.children_in(run.leftovers)
    parts = [blocked_child(child) for child in children]
    if main is not None:
        parts.append(T(f"the parent PID {main.pid} ({state_of(main).en}) waits for it in join()",
                       f"父进程 PID {main.pid}（{state_of(main).zh}）在 join() 中等待它")
                     if children and main.state in "SD" else
                     T(f"the parent PID {main.pid} ({state_of(main).en}) is still there",
                       f"父进程 PID {main.pid}（{state_of(main).zh}）仍然存在"))
    left = join(T("; ", "；"), parts) if parts else T("no process of it left to see", "已经看不到它的任何进程")
    raise Failed(T(f"the program to end well within the {run.time_limit:g} s time limit",
                   f"程序远在 {run.time_limit:g} 秒的时间上限之前结束"),
                 T(f"still running at the time limit: {left.en}", f"到时间上限时仍在运行：{left.zh}"),
                 run.last_table.table())


@exercise.check(points=1, title=T("the program creates exactly one child", "程序恰好创建一个子进程"),
                hint=T("start exactly one child: multiprocessing.Process(...).start() once (or one os.fork())",
                       "恰好启动一个子进程：只调用一次 multiprocessing.Process(...).start()（或一次 os.fork()）"))
def exactly_one_child(run):
    children = run.children()
    if len(children) > 1:
        first_two = run.first(lambda s: len(run.children_in(s)) > 1)
        raise Failed(T(f"exactly one child of the main process (PID {run.main})",
                       f"主进程（PID {run.main}）恰好有一个子进程"),
                     T(f"{len(children)} children: {sorted(children)}", f"{len(children)} 个子进程：{sorted(children)}"),
                     (first_two[1] if first_two else run.last_table).table())
    if not children and long_run(run):
        raise Failed(T(f"one child of the main process (PID {run.main}), reading for a while with N={n_of(run)}",
                       f"主进程（PID {run.main}）有一个子进程，在 N={n_of(run)} 时读上一段时间"),
                     T("no child in the whole run: the numbers were not received by another process",
                       "整个运行中没有子进程：这些数不是由另一个进程接收的"),
                     run.last_table.table())


@exercise.check(points=3, after=(child_gets_eof, exactly_one_child),
                title=T("the child prints `sum <S>` with S = 1 + 2 + ... + N",
                        "子进程打印 `sum <S>`，其中 S = 1 + 2 + ... + N"),
                hint=T("the sum of 1..N is N*(N+1)/2: send range(1, N + 1), not range(N)",
                       "1..N 的和是 N*(N+1)/2：发送 range(1, N + 1)，而不是 range(N)"))
def child_prints_the_sum(run):
    n = n_of(run)
    expected = f"sum {n * (n + 1) // 2}"
    lines = [" ".join(line.split()) for line in run.lines if line.split()[:1] == ["sum"]]
    if lines != [expected]:
        shown = ", ".join(repr(line) for line in lines[:5])
        raise Failed(T(f"one line {expected!r} (N={n})", f"一行 {expected!r}（N={n}）"),
                     T(f"{len(lines)} line(s) `sum ...`: {shown or 'none'}",
                       f"{len(lines)} 行 `sum ...`：{shown or '没有'}"))


@exercise.check(points=2, after=(child_gets_eof, exactly_one_child),
                title=T("the parent waits for the child: no zombie, no orphan left once the program has exited",
                        "父进程等待子进程：程序退出后没有僵尸进程、没有孤儿进程残留"),
                hint=T("the parent must join() its child (with os.fork: os.waitpid) before it exits",
                       "父进程必须在退出前 join() 它的子进程（用 os.fork 时：os.waitpid）"))
def parent_waits_for_the_child(run):
    if len(run.leftovers):
        raise Failed(T("no process of the program left after it exited", "程序退出后没有留下它的任何进程"),
                     run.leftovers_described(), run.last_table.table())


exits_with_status_0 = exercise.check_exit_status_0(
    title=T("the parent exits with status 0", "父进程以退出状态 0 退出"),
    hint=T("the parent must end normally, after joining the child", "父进程必须在 join 子进程之后正常结束"))
