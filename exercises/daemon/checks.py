"""Grading the daemon exercise: a daemonic ticker beside a worker of 1 s, gone with the main program.

What the host can tell apart, and what it cannot:

* The ticker and the worker are two children that run side by side for about 1 s (the worker's
  life). Which of the two is which cannot be told from the table: the worker ends, the main
  program prints and exits, and Python's exit handler (multiprocessing's atexit) sends SIGTERM to
  the daemon, all within a few milliseconds, often between two samples. So the checks treat the
  pair symmetrically: the longer-lived one is called the ticker.
* The worker's exit status is not observable: it is reaped within microseconds (by its parent's
  join, or under forkserver by the fork server), never a zombie long enough to be sampled. It is
  not graded.
* Whether the daemon was stopped by the exit handler or by the program's own terminate() just
  before it ends is not observable either (same signal, a few milliseconds apart). Not graded.
* Forgetting `daemon=True` (or setting it after start(), which raises an AssertionError and
  leaves the ticker non-daemonic) makes the main program wait forever at exit for the ticker:
  a time-out. Forgetting the join lets the exit handler stop the daemon at once, before the
  worker has done anything: the two are never seen running together.
* What outlives the main process is read after it exits: PID 1 of the grading container never
  reaps, so an escaped ticker (a plain os.fork nobody stops) is still running there, under PID 1.
* The start method does not matter: the Run leaves Python's helpers (resource tracker, fork
  server) out of the program's processes, and counts the children a fork server forks as the
  main process's.
"""

from itertools import combinations

from lab.grading import Exercise, Failed, T, Trial, join

# A correct program runs about 1.2 s, up to 2.5 s on a loaded machine (Python's start-up slows
# down most); 8 s never stops a correct one and stops a hanging one (no daemon=True) fast enough.
exercise = Exercise("daemon", T("A daemonic ticker beside a worker; nothing outlives the main program",
                                "工作进程旁边的守护进程；没有任何进程比主程序活得更久"),
                    trials=(Trial("first"), Trial("second")), time_limit=8)

TOGETHER_MIN = 0.75  # the worker sleeps 1 s; sampling and a loaded machine may hide up to 0.25 s of it
PERIOD = 0.1  # seconds between two ticks
MIN_TICKS = 5  # the ticker runs at least during the worker's 1 s: about 10 ticks, 10 also on a loaded machine
OUTLIVE_SLACK = 0.2  # seconds after the main process's exit from which anything still running outlived it


def alive(process) -> bool:
    return process.state != "Z"


def workers(run) -> list:
    """PIDs of the processes the program started (Python's helpers are not among them)."""
    return sorted(run.descendants())


def together(run) -> dict:
    """For each pair of the program's processes: for how long both were alive in the same tables."""
    pids = set(workers(run))
    overlap = {}
    for t, until, snapshot in run.spans():
        if until <= 0:
            continue
        running = sorted(p.pid for p in snapshot.alive(pids))
        for pair in combinations(running, 2):
            overlap[pair] = overlap.get(pair, 0.0) + until - max(t, 0.0)
    return overlap


def the_pair(run):
    """(ticker, worker, seconds together): the pair that ran side by side longest, or None.

    The ticker is the one alive longer (it is meant to run until the main program ends).
    """
    overlap = together(run)
    if not overlap:
        return None
    pair, seconds = max(overlap.items(), key=lambda item: (item[1], item[0]))
    ticker, worker = sorted(pair, key=lambda pid: (run.duration(pid, alive), pid), reverse=True)
    return ticker, worker, seconds


def end_of_pair(run, pair):
    """(t, table): the first table after both were alive in which one of them no longer is."""
    ticker, worker, _ = pair
    both = run.first(lambda s: all((p := s.pid(pid)) is not None and alive(p) for pid in (ticker, worker)))
    if both is None:
        return None
    return run.first(lambda s: not all((p := s.pid(pid)) is not None and alive(p) for pid in (ticker, worker)),
                     since=both[0])


@exercise.check(points=2, title=T("two children, the daemon and the worker, run side by side for the worker's 1 s",
                                  "两个子进程——守护进程和工作进程——在工作进程的 1 秒内同时运行"),
                hint=T("start both before joining the worker; the ticker must loop forever, and the worker must "
                       "be joined, else at exit Python stops the daemon at once",
                       "先启动两者，再 join 工作进程；打印 tick 的进程必须永远循环，工作进程必须被 join，否则主程序"
                       "退出时 Python 会立即停止守护进程"))
def runs_side_by_side(run):
    pair = the_pair(run)
    if pair is None:
        seen = workers(run)
        raise Failed(T(f"two processes of the program alive at the same time, for at least {TOGETHER_MIN:g} s",
                       f"程序的两个进程同时存活至少 {TOGETHER_MIN:g} 秒"),
                     T(f"never two at once (processes of the program seen: {seen or 'none'})",
                       f"从未同时有两个（看到的程序进程：{seen or '无'}）"),
                     run.busiest(seen)[1].table())
    ticker, worker, seconds = pair
    if seconds < TOGETHER_MIN:
        ended = end_of_pair(run, pair)
        raise Failed(T(f"two processes of the program alive together for the worker's 1 s "
                       f"(at least {TOGETHER_MIN:g} s)",
                       f"程序的两个进程在工作进程的 1 秒内同时存活（至少 {TOGETHER_MIN:g} 秒）"),
                     T(f"PIDs {ticker} and {worker} were alive together for {seconds:.2f} s",
                       f"PID {ticker} 和 {worker} 同时存活了 {seconds:.2f} 秒"),
                     (ended[1] if ended else run.busiest(workers(run))[1]).table())
    ended = end_of_pair(run, pair)
    return ended[0] if ended else None


@exercise.check(points=2, after=runs_side_by_side,
                title=T("the daemon prints `tick` about every 0.1 s while it runs",
                        "守护进程在运行期间大约每 0.1 秒打印一次 `tick`"),
                hint=T("loop forever: print('tick', flush=True), then time.sleep(0.1); without flush the lines "
                       "wait in the daemon's buffer (the output is a pipe) and are lost when SIGTERM ends it",
                       "永远循环：print('tick', flush=True)，然后 time.sleep(0.1)；不加 flush 的话，这些行会留在"
                       "守护进程的缓冲区里（输出是管道），SIGTERM 结束它时就丢失了"))
def daemon_ticks(run):
    ticker, _, _ = the_pair(run)
    life = run.duration(ticker, alive)
    # at most: one every 0.1 s of its observed life (that includes, under the spawn start method,
    # an interpreter's start-up), with slack; a loop without sleep prints thousands
    low, high = MIN_TICKS, int(1.5 * life / PERIOD) + 5
    ticks = sum(1 for line in run.lines if line.strip() == "tick")
    if not low <= ticks <= high:
        cut = T(" (output cut at the grader's limit)", "（输出在评分程序的上限处被截断）") \
            if run.output_truncated else T("", "")
        raise Failed(T(f"between {low} and {high} lines `tick` (about one every {PERIOD:g} s "
                       f"for the {life:.1f} s the daemon, PID {ticker}, was seen alive)",
                       f"{low} 到 {high} 行 `tick`（守护进程 PID {ticker} 被看到存活了 {life:.1f} 秒，"
                       f"大约每 {PERIOD:g} 秒一行）"),
                     T(f"{ticks} lines `tick`{cut.en}", f"{ticks} 行 `tick`{cut.zh}"))


@exercise.check(points=1, title=T("prints `worker done`", "打印 `worker done`"),
                hint=T("print exactly: worker done", "准确打印：worker done"))
def prints_worker_done(run):
    if "worker done" not in (line.strip() for line in run.lines):
        raise Failed(T("the line 'worker done' in the output", "输出中有一行 'worker done'"),
                     T(f"{len(run.lines)} lines, none of them that", f"共 {len(run.lines)} 行，没有这一行"))


@exercise.check(points=3, after=runs_side_by_side,
                title=T("the main program ends by itself, although the ticker never stops on its own",
                        "主程序能自己结束，尽管打印 `tick` 的进程自己永远不会停止"),
                hint=T("set daemon=True before start() (in the constructor): at exit Python waits for every "
                       "non-daemonic child, and the ticker never ends; setting it after start() raises an error",
                       "在 start() 之前（在构造函数里）设置 daemon=True：退出时 Python 会等待每一个非守护子进程，"
                       "而打印 tick 的进程永远不会结束；在 start() 之后设置会引发错误"))
def ends_by_itself(run):
    if run.exit_code is None:  # at the time limit, or stopped for flooding its output
        end = run.describe_end()
        raise Failed(T("the main program to end by itself once the worker is done", "工作进程完成后主程序自己结束"),
                     T(f"{end.en} (stopped by the grader)", f"{end.zh}（被评分程序停止）"), run.last_table.table())
    return run.exited_at


@exercise.check(points=2, after=ends_by_itself,
                title=T("nothing of the program is still running after the main process has exited",
                        "主进程退出之后，程序没有任何进程仍在运行"),
                hint=T("start the ticker with multiprocessing (daemon=True), not os.fork: a plain fork nobody "
                       "stops keeps running after the main program, reparented to the reaper",
                       "用 multiprocessing（daemon=True）启动打印 tick 的进程，而不是 os.fork：没有人停止的普通 "
                       "fork 子进程会在主程序之后继续运行，成为孤儿，被 1 号进程（或子进程收割者）收养"))
def nothing_outlives_main(run):
    theirs = set(workers(run))
    since = run.exited_at + OUTLIVE_SLACK
    last_alive = {}  # PID -> (until when it was seen running, its row then)
    for t, until, snapshot in run.spans():
        for p in snapshot:
            if until > since and p.pid in theirs and alive(p):
                last_alive[p.pid] = (until, p)
    for p in run.leftovers:  # processes first seen after the exit, already under PID 1
        if alive(p):
            last_alive.setdefault(p.pid, (run.ended, p))
    if last_alive:
        seen = join(T(", ", "；"), (T(f"PID {pid} ({p.command[:40]}) {until - run.exited_at:.1f} s after it",
                                      f"PID {pid}（{p.command[:40]}）在主进程退出 {until - run.exited_at:.1f} 秒后仍在运行")
                                    for pid, (until, p) in sorted(last_alive.items())))
        latest = max(until for until, _ in last_alive.values())
        raise Failed(T("no process of the program running after the main process has exited",
                       "主进程退出之后，程序没有任何进程在运行"),
                     T(f"still running: {seen.en}", seen.zh), run.table_at(latest).table())
    return run.exited_at


exits_with_status_0 = exercise.check_exit_status_0(
    title=T("the main program exits with status 0", "主程序以退出状态 0 退出"),
    hint=T("the main program must end normally", "主程序必须正常结束"))
