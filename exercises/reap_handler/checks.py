"""Grading reap_handler: 20 children ending in bursts of five, reaped by a looping SIGCHLD handler.

Two runs. In “run” the program runs undisturbed. In “stopped” the grader makes the burst happen
for certain: a small holder inside the container (as the student, polling /proc every 3 ms)
stops the program with SIGSTOP as soon as its fork loop is over while children still sleep, and
the host continues it with SIGCONT once the observer has seen every child end. While it is
stopped, the children's SIGCHLDs merge into one pending signal (standard signals do not queue),
so on SIGCONT a handler runs once for (usually) 15 children: one that reaps one child per signal
leaves the others zombies for good, every time — not only when the machine happens to be
loaded. (Two children ending during the stop suffice: each later SIGCHLD reaps at most one, so
the one-per-signal handler stays behind to the end.) The zombies held during the stop also show
the children's exit statuses, which are otherwise gone within a millisecond.

What a loaded machine changes, and the checks therefore do not rely on: how long the fork loop
takes (it may last longer than the 0.2 s before the first burst, so the 15 sleeping children
need not be alive all at once), and the order in which children a few milliseconds apart end.

Waiting in the main flow (os.wait() there) cannot be told from sleeping in /proc's table; it is
not graded as such. A program without a SIGCHLD handler loses `handler_before_children`.
"""

import signal

from lab.grading import Exercise, Failed, NotObserved, T, Trial

CHILDREN = 20
LONG_SLEEPERS = 10  # children 10..19 sleep 0.4 s or more: each is seen alive even on a loaded machine
AWAKE_AT_STOP = 2  # the holder stops the program only while this many children are still alive
STATUS_SUM = sum(range(CHILDREN))  # 190
LINE = f"reaped {CHILDREN} sum {STATUS_SUM}"
PROMPT = 0.5  # a child may be a zombie this long (the handler runs within a millisecond)
TIME_LIMIT = 10.0  # the task: everything reaped, and the program ended, within 10 s
HOLD_AT_MOST = 3.0  # seconds the host keeps the program stopped waiting for its children to end
STOPPED = "stopped"  # the trial in which the grader stops the program while its children end

# Runs in the sandbox as the student (only the student's uid may signal the program). It is given
# the grader's launcher's PID (which the submission keeps: the launcher execs it), and stops it
# once the fork loop is over while at least two children still sleep. "Over": no new
# child for 5 ms and the program asleep (in its waiting loop), or no new child for 0.2 s (a
# program that never sleeps). Never in the middle of the fork loop, nor between the loop and
# the next statement: that would stop a program that installs its handler late before it has
# one, and its children's SIGCHLDs would be discarded (SIG_DFL), a verdict decided by luck.
HOLDER = r"""# proclab holder: stops the submission (SIGSTOP) once its children sleep
import os, signal, sys, time
signal.signal(signal.SIGUSR2, lambda *_: None)  # seen by the grader in SigCgt: ready
main, AWAKE, end = int(sys.argv[1]), int(sys.argv[2]), time.monotonic() + float(sys.argv[3])

def state(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rpartition(")")[2].split()[0]
    except OSError:
        return "gone"

seen, settled = set(), time.monotonic()
while time.monotonic() < end:
    try:
        with open(f"/proc/{main}/task/{main}/children") as f:
            children = [int(c) for c in f.read().split()]
    except OSError:
        break  # the submission has ended
    now = time.monotonic()
    if not seen.issuperset(children):
        seen.update(children)
        settled = now
    quiet = now - settled  # no new child for that long: the fork loop is over
    if (quiet >= 0.2 or quiet >= 0.005 and state(main) == "S") \
            and sum(state(c) not in ("Z", "gone") for c in children) >= AWAKE:
        os.kill(main, signal.SIGSTOP)
        break
    time.sleep(0.003)
"""


def _is_holder(process) -> bool:
    return process.cmdline[:3] == ("python3", "-c", HOLDER) and process.catches(signal.SIGUSR2)


def setup(live):
    """In the “stopped” run: start the holder, and wait until it is ready, before the program starts."""
    if live.trial.name != STOPPED:
        return None
    live.sandbox.start(["python3", "-c", HOLDER, str(live.main), str(AWAKE_AT_STOP), str(TIME_LIMIT + 5)])
    live.observer.wait_for(lambda s: any(_is_holder(p) for p in s), 20, "the grader's holder ready")
    return None


def drive(live):
    """In the “stopped” run: once the holder has stopped the program, continue it when its children have ended.

    Both waits observe the same snapshots the recording keeps, so the held zombies are on record.
    """
    if live.trial.name != STOPPED:
        return
    main = live.main
    try:
        stopped = live.observer.wait_for(
            lambda s: ("gone",) if (p := s.pid(main)) is None else (p.state,) if p.state in "TZ" else None,
            TIME_LIMIT, "the program stopped by the holder, or ended")
    except NotObserved:
        return  # never stopped: its fork loop never ended while children slept; nothing to hold
    if stopped != ("T",):
        return
    try:
        live.observer.wait_for(lambda s: all(p.state == "Z" for p in s.children(main)) or None,
                               HOLD_AT_MOST, "every child of the stopped program ended")
    except NotObserved:
        pass  # children that do not end: continue the program anyway
    live.sandbox.signal(main, signal.SIGCONT)


exercise = Exercise(
    "reap_handler", T("Reap 20 children with a SIGCHLD handler, in bursts of five",
                      "用 SIGCHLD 信号处理函数回收 20 个子进程，它们每五个一批地结束"),
    trials=(Trial("run"), Trial(STOPPED)),
    time_limit=TIME_LIMIT,
    setup=setup,
    drive=drive,
)


# -- what the checks read ------------------------------------------------------------------------

def _stopped(run, snapshot) -> bool:
    main = snapshot.pid(run.main)
    return main is not None and main.state == "T"


def _held(run) -> list:
    """[(t, snapshot)] while the grader held the program stopped (empty in the “run” run)."""
    return [(t, s) for t, s in run.frames if _stopped(run, s)]


def _zombie_spell(run, pid) -> tuple:
    """(seconds `pid` was a zombie while the program was not held stopped, t when that passed PROMPT)."""
    total, passed_at = 0.0, None
    for t, until, snapshot in run.spans():
        process = snapshot.pid(pid)
        if process is not None and process.state == "Z" and not _stopped(run, snapshot) and until > 0:
            start = max(t, 0.0)
            if passed_at is None and total + (until - start) > PROMPT:
                passed_at = start + (PROMPT - total)
            total += until - start
    return total, passed_at


def _first_seen(run, alive_only: bool) -> dict:
    """The children ever seen (`alive_only`: seen alive, not yet zombies): PID -> t of the first such sighting."""
    found = {}
    for t, snapshot in run.frames:
        for process in run.children_in(snapshot):
            if not (alive_only and process.state == "Z"):
                found.setdefault(process.pid, t)
    return found


# -- the checks ------------------------------------------------------------------------------------

@exercise.check(points=2,
                title=T(f"the program starts {CHILDREN} children (no more, no grandchildren; the {LONG_SLEEPERS} "
                        "that sleep 0.4 s or more are seen alive)",
                        f"程序启动 {CHILDREN} 个子进程（不多于 {CHILDREN} 个，没有孙进程；睡眠 0.4 秒或更久的那 "
                        f"{LONG_SLEEPERS} 个都被观察到存活过）"),
                hint=T("fork 20 children in a loop; each child sleeps (i // 5) * 0.2 s and then ends with "
                       "os._exit(i), so that it never goes on with the loop",
                       "在循环中 fork 20 个子进程；每个子进程睡眠 (i // 5) * 0.2 秒，然后用 os._exit(i) 结束，"
                       "这样它就不会继续执行这个循环"))
def starts_20_children(run):
    children = run.children()
    if len(children) > CHILDREN:
        t = sorted(_first_seen(run, alive_only=False).values())[CHILDREN]  # when the 21st appeared
        raise Failed(T(f"at most {CHILDREN} children of the main process (PID {run.main})",
                       f"主进程（PID {run.main}）最多有 {CHILDREN} 个子进程"),
                     T(f"{len(children)} children", f"{len(children)} 个子进程"), run.table_at(t).table())
    others = sorted(set(run.descendants()) - set(children))
    if others:
        t, table = run.first(lambda s: any(p.pid in others for p in s))
        raise Failed(T("children only: no child starts processes of its own", "只有子进程：子进程不再启动自己的进程"),
                     T(f"{len(others)} grandchildren (PIDs {others[:10]})", f"{len(others)} 个孙进程（PID {others[:10]}）"),
                     table.table())
    alive = _first_seen(run, alive_only=True)
    if len(alive) < LONG_SLEEPERS:
        raise Failed(T(f"the {LONG_SLEEPERS} children that sleep 0.4 or 0.6 s each seen alive",
                       f"睡眠 0.4 或 0.6 秒的那 {LONG_SLEEPERS} 个子进程都被观察到存活过"),
                     T(f"{len(alive)} children seen alive ({len(children)} children seen in all)",
                       f"观察到 {len(alive)} 个子进程存活过（一共观察到 {len(children)} 个子进程）"),
                     run.table_at(max(alive.values(), default=0.0)).table())
    return sorted(alive.values())[LONG_SLEEPERS - 1]


@exercise.check(points=2, after=starts_20_children,
                title=T("a SIGCHLD handler is installed before the children are started",
                        "在启动子进程之前注册了 SIGCHLD 信号处理函数"),
                hint=T("call signal.signal(signal.SIGCHLD, handler) before the first os.fork(): a child is a copy "
                       "of its parent, handlers included, so the children's signal masks show when it was installed",
                       "在第一次 os.fork() 之前调用 signal.signal(signal.SIGCHLD, handler)：子进程是父进程的副本，"
                       "信号处理函数也一样，所以子进程的信号掩码能说明它是何时注册的"))
def handler_before_children(run):
    for pid in sorted(run.children()):
        for t, process in run.seen(pid):
            if process.state == "Z":
                continue
            if not process.catches(signal.SIGCHLD):
                what = T("SIGCHLD ignored (SIG_IGN)", "忽略 SIGCHLD（SIG_IGN）") if process.ignores(signal.SIGCHLD) \
                    else T("no SIGCHLD handler", "没有 SIGCHLD 信号处理函数")
                raise Failed(T("each child, a copy of the main process when it was forked, to catch SIGCHLD "
                               "(the bit of signal 17 set in its SigCgt mask)",
                               "每个子进程（fork 时主进程的副本）都捕获 SIGCHLD（它的 SigCgt 掩码中信号 17 的位被置上）"),
                             T(f"child {pid} was forked with {what.en}: the main process had none when it forked",
                               f"子进程 {pid} 被 fork 时{what.zh}：主进程 fork 时还没有注册处理函数"),
                             run.table_at(t).table())
    return min(_first_seen(run, alive_only=True).values())


@exercise.check(points=2, after=starts_20_children,
                title=T(f"the children exit with statuses 0..{CHILDREN - 1}, a different one each (as seen on their "
                        "zombies)",
                        f"子进程以退出状态 0..{CHILDREN - 1} 退出，各不相同（从它们的僵尸进程上看到）"),
                hint=T("child i must end with os._exit(i), i from 0 to 19", "子进程 i 必须用 os._exit(i) 结束，i 从 0 到 19"))
def exit_statuses(run):
    # Zombies seen anywhere: the children held while the program is stopped (run “stopped”)
    # certainly, others when the observer happens to catch them.
    children = run.children()
    zombies = {pid: row for pid, (_, row) in run.zombies().items() if pid in children}
    by_status = {}
    for pid, row in sorted(zombies.items()):
        by_status.setdefault(row.exit_code, []).append(pid)
    wrong = {status: pids for status, pids in by_status.items() if status not in range(CHILDREN) or len(pids) > 1}
    if wrong:
        status, pids = min(wrong.items(), key=lambda item: item[1][0])
        t, table = run.first(lambda s: any(p.pid in pids and p.state == "Z" for p in s))
        problem = T(f"status {status} is not one of 0..{CHILDREN - 1}", f"退出状态 {status} 不在 0..{CHILDREN - 1} 之中") \
            if status not in range(CHILDREN) else \
            T(f"{len(pids)} children (PIDs {pids}) exited with the same status {status}",
              f"{len(pids)} 个子进程（PID {pids}）以同一个退出状态 {status} 退出")
        seen = sorted(row.exit_code for row in zombies.values())
        raise Failed(T(f"each child i to exit with status i (0..{CHILDREN - 1}): {CHILDREN} different statuses",
                       f"每个子进程 i 以退出状态 i（0..{CHILDREN - 1}）退出：{CHILDREN} 个不同的退出状态"),
                     T(f"{problem.en}; statuses seen: {seen}", f"{problem.zh}；看到的退出状态：{seen}"),
                     table.table())
    return None


@exercise.check(points=2,
                title=T(f"no child stays a zombie for more than {PROMPT:g} s (the handler reaps every child that ends)",
                        f"没有子进程保持僵尸状态超过 {PROMPT:g} 秒（处理函数回收每一个结束的子进程）"),
                hint=T("in the handler, loop os.waitpid(-1, os.WNOHANG) until it returns (0, 0) or raises "
                       "ChildProcessError: one SIGCHLD may stand for several children that ended together",
                       "在处理函数中循环调用 os.waitpid(-1, os.WNOHANG)，直到它返回 (0, 0) 或抛出 "
                       "ChildProcessError：一个 SIGCHLD 可能代表同时结束的好几个子进程"))
def reaps_promptly(run):
    children = run.children()
    for pid in sorted(children):
        total, passed_at = _zombie_spell(run, pid)
        if passed_at is not None:
            table = run.table_at(passed_at)
            zombies = sum(1 for p in table if p.pid in children and p.state == "Z")
            held = bool(_held(run))
            raise Failed(T(f"every child reaped within {PROMPT:g} s of its end"
                           + (" (not counting the time the grader held the program stopped)" if held else ""),
                           f"每个子进程在结束后 {PROMPT:g} 秒内被回收"
                           + ("（不计评分程序让程序暂停的时间）" if held else "")),
                         T(f"child {pid} a zombie for {total:.1f} s; {zombies} zombie children at "
                           f"{passed_at:.1f} s into the run",
                           f"子进程 {pid} 保持僵尸状态 {total:.1f} 秒；运行到第 {passed_at:.1f} 秒时有 {zombies} 个"
                           "僵尸子进程"),
                         table.table())
    return None


@exercise.check(points=2,
                title=T(f"no zombie is left behind: all {CHILDREN} children are reaped",
                        f"不留下僵尸进程：{CHILDREN} 个子进程全部被回收"),
                hint=T("the handler must reap every child that ended, not one per signal: signals do not queue, "
                       "and only the parent can reap its children here (PID 1 never does)",
                       "处理函数必须回收每一个已结束的子进程，而不是每个信号回收一个：信号不会排队，而且在这里"
                       "只有父进程能回收它的子进程（1 号进程从不回收）"))
def no_zombie_left(run):
    family = run.descendants()
    left = sorted(p.pid for p in run.leftovers if p.pid in family)
    if left:
        zombies = [p for p in run.leftovers if p.pid in family and p.state == "Z"]
        statuses = sorted(p.exit_code for p in zombies)
        if run.timed_out:
            when = T(f"when the program was killed at the {run.time_limit:g} s time limit",
                     f"程序在 {run.time_limit:g} 秒的时间上限被杀死时")
        else:
            when = T(f"after the program had exited (now children of {run.the_reaper.en}, which never reaps)",
                     f"程序退出之后（它们现在是{run.the_reaper.zh}的子进程，而它从不回收）")
        running = len(left) - len(zombies)
        raise Failed(T("every child reaped by the program before it ends", "程序在结束前回收了每一个子进程"),
                     T(f"{len(zombies)} zombie children {when.en}: exit statuses {statuses}"
                       + (f"; {running} children still running" if running else ""),
                       f"{when.zh}还有 {len(zombies)} 个僵尸子进程：退出状态 {statuses}"
                       + (f"；还有 {running} 个子进程在运行" if running else "")),
                     run.leftovers.table())
    return run.exited_at


@exercise.check(points=1, after=(no_zombie_left, exit_statuses), title=T(f"prints `{LINE}`", f"打印 `{LINE}`"),
                hint=T(f"print exactly `{LINE}` once the handler has reaped all 20 children",
                       f"处理函数回收全部 20 个子进程之后，准确打印 `{LINE}`"))
def prints_reaped_line(run):
    if LINE not in (line.strip() for line in run.lines):
        last = run.lines[-1][:200] if run.lines else None
        raise Failed(T(f"the line {LINE!r} in the output", f"输出中有一行 {LINE!r}"),
                     T(f"{len(run.lines)} lines, none of them that" + (f"; the last: {last!r}" if last else ""),
                       f"共 {len(run.lines)} 行，没有这一行" + (f"；最后一行：{last!r}" if last else "")))


exits_with_status_0 = exercise.check_exit_status_0(
    title=T(f"the program exits with status 0 within {TIME_LIMIT:g} s", f"程序在 {TIME_LIMIT:g} 秒内以退出状态 0 退出"),
    hint=T("the main flow must end (exit status 0) once all 20 are reaped: if it waits for a count of 20 that "
           "never comes, the handler missed children",
           "20 个全部回收后主流程必须结束（退出状态 0）：如果它在等一个永远到不了的 20，说明处理函数漏掉了子进程"))
