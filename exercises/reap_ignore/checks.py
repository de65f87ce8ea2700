"""Grading the reap_ignore exercise: SIGCHLD ignored, ten children reaped by the kernel, wait() fails.

Children that exit at once live about a millisecond: whether the observer (every 10 ms) catches
them is luck. So nothing here depends on seeing them:

* that the main process ignores SIGCHLD is read from its SigIgn mask, over the second it sleeps;
* "no zombie" is judged on zombies that last (an unreaped child of a program that did not ignore
  SIGCHLD is a zombie for the whole second, and is still there, under PID 1, at the end);
* how many children the program started is read from the PIDs the kernel handed out: PIDs are
  given in order, so the first PID given after the program has ended, minus the last one given
  before its own code ran, counts every process (and thread) it created, seen or not;
* that os.wait() was really called is made observable: the program starts with one child of its
  own, placed there by the grader (`PLANTED_SECONDS` long). With SIGCHLD ignored, wait() returns
  only when *every* child is gone, so a program that calls it ends after that child; one that
  does not call it ends about a second and a half earlier. The planted child is forked at the
  start of the interpreter by a ``usercustomize`` module placed on PYTHONPATH for this run, before
  the program's first line, and is an exec'd ``sleep`` named `PLANTED_NAME`.
"""

import signal

from lab.grading import Exercise, Failed, NotObserved, T, Trial

CHILDREN = 10
PLANTED_NAME = "proclab-child"  # argv[0] of the grader's own child of the program
PLANTED_SECONDS = "2.5"  # its life: well past the program's os.wait() at about 1 s
PROBE = ("sleep", "9.75")  # the root process started after the program, to read the next PID
IGNORED_FOR = 0.5  # the program sleeps 1 s with SIGCHLD ignored: half of that is plenty
# A zombie shorter than this is not graded: a SIGCHLD handler (also a way to reap, if not the one
# asked for) leaves each child a zombie until it runs, and on a loaded machine, at nice 19, that
# was seen to take over 0.2 s. A wrong program's zombies last 1 s or more.
VISIBLE = 0.5
WAIT_SLACK = 0.25  # the program ends right after its last child; without os.wait(), 1.4 s before it
TIME_LIMIT = 8  # a right program ends in about 2.5 s

PLANT = f'''"""proclab grader (reap_ignore): starts solution.py with one child of its own; see README.md."""
import os
import sys

if sys.orig_argv[1:2] == ["solution.py"] and "PROCLAB_PLANT" in os.environ:
    _seconds = os.environ.pop("PROCLAB_PLANT")  # not for the program's own children
    _here = os.path.dirname(os.path.abspath(__file__))
    os.environ["PYTHONPATH"] = os.pathsep.join(
        p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p and os.path.abspath(p) != _here)
    if _here in sys.path:
        sys.path.remove(_here)
    if os.fork() == 0:
        try:
            os.execv("/bin/sleep", ["{PLANTED_NAME}", _seconds])
        finally:
            os._exit(127)
'''
PLANT_DIR = ".proclab"


def read_next_pid(live):
    """Once the main process has gone, start a probe (as root) and wait until it is seen: its PID
    is the first one handed out after the program's. Nothing but the program creates processes
    in the container meanwhile (the observer is already running and never forks)."""
    try:
        live.observer.wait_for(lambda s: s.pid(live.main) is None, max(TIME_LIMIT - live.elapsed(), 0.1),
                               "the main process to end")
    except NotObserved:
        return  # it hangs: the time limit will end it, and no count can be made
    live.sandbox.start(list(PROBE), student=False)
    try:
        live.observer.wait_for(lambda s: any(is_probe(p, live.sandbox.student_uid) for p in s), 10, "the PID probe")
    except NotObserved:
        pass  # then the count check says it could not count


exercise = Exercise(
    "reap_ignore", T("Ignore SIGCHLD: the kernel reaps the children, wait() fails with ECHILD",
                     "忽略 SIGCHLD：内核回收子进程，wait() 以 ECHILD 失败"),
    trials=tuple(Trial(name, env={"PYTHONPATH": PLANT_DIR,  # relative to the working directory
                                  "PROCLAB_PLANT": PLANTED_SECONDS},
                       files={f"{PLANT_DIR}/usercustomize.py": PLANT})
                 for name in ("first", "second")),
    time_limit=TIME_LIMIT, linger=3, drive=read_next_pid, counts_pids=True,
)


def is_probe(p, student_uid) -> bool:
    return p.uid != student_uid and p.cmdline == PROBE


def planted(run):
    """The grader's child of the program: its PID, or None (the program never started)."""
    return next((p.pid for _, s in run.frames for p in s if p.cmdline[:1] == (PLANTED_NAME,)), None)


def ended(run, pid):
    """When `pid` was first seen gone or a zombie (after having been seen), or None."""
    seen = run.first(lambda s: s.pid(pid) is not None)
    if seen is None:
        return None
    gone = run.first(lambda s: (p := s.pid(pid)) is None or p.state == "Z", since=seen[0])
    return gone[0] if gone else None


def zombies_of_the_program(run) -> dict:
    """The program's children (not the grader's) seen as zombies: PID -> (seconds seen so, row).

    Children of the main process (a fork server's count as its own), or of the reaper once their
    parent has gone; not the main process itself, nor the grader's child: orphaned when the
    program ends early, that one ends a zombie under the reaper, and it is not the student's."""
    skip = {run.main, planted(run)}
    parents = {run.main, run.reaper} | run.fork_servers
    return {pid: (seconds, row) for pid, (seconds, row) in run.zombies().items()
            if pid not in skip and row.uid == run.student_uid and row.ppid in parents}


@exercise.check(points=2, title=T("the main process ignores SIGCHLD (SIG_IGN)", "主进程忽略 SIGCHLD（SIG_IGN）"),
                hint=T("call signal.signal(signal.SIGCHLD, signal.SIG_IGN) first, before starting the children "
                       "(a handler, or SIG_DFL, is not SIG_IGN)",
                       "先调用 signal.signal(signal.SIGCHLD, signal.SIG_IGN)，再创建子进程"
                       "（信号处理函数或 SIG_DFL 都不是 SIG_IGN）"))
def ignores_sigchld(run):
    seconds = run.duration(run.main, lambda p: p.ignores(signal.SIGCHLD))
    if seconds < IGNORED_FOR:
        before_the_end = (run.exited_at if run.exited_at is not None else run.ended) - 0.3
        raise Failed(T(f"SIGCHLD in the SigIgn mask of the main process (PID {run.main}) while it runs",
                       f"主进程（PID {run.main}）运行期间，SIGCHLD 在它的 SigIgn 掩码中"),
                     T(f"ignored for {seconds:.2f} s", f"只被忽略了 {seconds:.2f} 秒"),
                     run.table_at(before_the_end).table())
    return run.first(lambda s: (p := s.pid(run.main)) is not None and p.ignores(signal.SIGCHLD))[0]


@exercise.check(points=1, title=T(f"the program starts {CHILDREN} children (counted from the PIDs the kernel gave out)",
                                  f"程序创建了 {CHILDREN} 个子进程（根据内核分配的 PID 计数）"),
                hint=T(f"start exactly {CHILDREN} children, with os.fork() (no threads, no shell)",
                       f"用 os.fork() 恰好创建 {CHILDREN} 个子进程（不用线程，不用 shell）"))
def starts_10_children(run):
    first = planted(run)
    probe = next((p.pid for _, s in run.frames for p in s if is_probe(p, run.student_uid)), None)
    if first is None or probe is None:
        raise Failed(T(f"{CHILDREN} children, counted once the program has ended",
                       f"{CHILDREN} 个子进程，在程序结束后计数"),
                     T("the program did not end, so its children could not be counted",
                       "程序没有结束，所以无法统计它的子进程"), run.last_table.table())
    helpers = sorted(pid for pid in run.python_helpers if first < pid < probe)  # Python's, not the student's
    count = probe - first - 1 - len(helpers)
    # In place the PIDs between are shared with the rest of the machine: they bound the count from above only.
    shared = run.backend != "docker"
    if count < CHILDREN or (count > CHILDREN and not shared):
        expected = T(f"at least {CHILDREN} processes created by the program", f"程序至少创建了 {CHILDREN} 个进程") \
            if shared else T(f"{CHILDREN} processes created by the program", f"程序创建了 {CHILDREN} 个进程")
        observed = T(f"{count} (PIDs {first + 1}..{probe - 1}; each thread takes a PID too)",
                     f"{count} 个（PID {first + 1}..{probe - 1}；每个线程也占用一个 PID）")
        if helpers:
            observed = T(f"{observed.en}; Python's helpers {helpers} not counted",
                         f"{observed.zh}；Python 的辅助进程 {helpers} 不算在内")
        raise Failed(expected, observed)


@exercise.check(points=3, title=T("no child ever becomes a zombie", "没有任何子进程变成僵尸"),
                hint=T("with SIGCHLD ignored before the children start, the kernel reaps them at once; "
                       "ignoring it later does not remove zombies that already exist",
                       "在创建子进程之前忽略 SIGCHLD，内核会立即回收它们；之后再忽略，已经存在的僵尸不会被清除"))
def no_zombie_ever(run):
    found = zombies_of_the_program(run)
    left = {p.pid for p in run.last_table if p.state == "Z"} & set(found)
    lasting = sorted(pid for pid, (seconds, _) in found.items() if seconds >= VISIBLE or pid in left)
    if lasting:
        pid = lasting[0]
        t, snapshot = run.first(lambda s: (p := s.pid(pid)) is not None and p.state == "Z")
        shown = f"{lasting[:5]}{'…' if len(lasting) > 5 else ''}"
        raise Failed(T("no zombie among the program's children", "程序的子进程中没有僵尸"),
                     T(f"{len(lasting)} zombies (PIDs {shown}), {len(left)} of them still there at the end",
                       f"{len(lasting)} 个僵尸进程（PID {shown}），其中 {len(left)} 个到结束时仍在"),
                     run.table_at(t + VISIBLE).table())


@exercise.check(points=2, title=T("os.wait() is called, and returns only when no child is left (then fails)",
                                  "调用了 os.wait()，并且它只在一个子进程都不剩时才返回（然后失败）"),
                hint=T("call os.wait() after the 1 s sleep: with SIGCHLD ignored it blocks until every child is gone, "
                       "then raises ChildProcessError (ECHILD)",
                       "睡眠 1 秒后调用 os.wait()：忽略 SIGCHLD 时，它会一直阻塞到所有子进程都结束，"
                       "然后抛出 ChildProcessError（ECHILD）"))
def wait_lasts_until_no_child_is_left(run):
    first = planted(run)
    end = ended(run, first) if first is not None else None
    if end is None or run.exited_at is None:
        observed = run.describe_end()
        helpers = [p.pid for p in run.last_table if p.pid in run.python_helpers and p.ppid == run.main]
        if helpers:
            observed = T(f"{observed.en}; os.wait() waits for Python's helpers too (PIDs {helpers}: multiprocessing's "
                         f"resource tracker or fork server, children of the main process until it ends), so with "
                         f"the spawn or forkserver start method it never fails",
                         f"{observed.zh}；os.wait() 也会等待 Python 的辅助进程（PID {helpers}：multiprocessing 的 "
                         f"resource tracker 或 fork server，它们在主进程结束之前一直是它的子进程），所以使用 spawn 或 "
                         f"forkserver 启动方式时它永远不会失败")
        raise Failed(T("the program to end after its last child", "程序在它的最后一个子进程之后结束"),
                     observed, run.last_table.table())
    if run.exited_at < end - WAIT_SLACK:
        raise Failed(T(f"the main process to end only after its last child, the grader's {PLANTED_NAME} "
                       f"(PID {first}, ended at {end:.1f} s): os.wait() waits for it",
                       f"主进程在它的最后一个子进程——评分程序的 {PLANTED_NAME}（PID {first}，在 {end:.1f} 秒时结束）"
                       f"——之后才结束：os.wait() 会等待它"),
                     T(f"the main process ended at {run.exited_at:.1f} s, before that child",
                       f"主进程在 {run.exited_at:.1f} 秒时就结束了，早于那个子进程"),
                     run.table_at(run.exited_at).table())
    return run.exited_at


@exercise.check(points=1, title=T("prints `no children: ECHILD`", "打印 `no children: ECHILD`"),
                hint=T("catch ChildProcessError and print exactly: no children: ECHILD "
                       "(errno.errorcode[error.errno] gives the name)",
                       "捕获 ChildProcessError，并准确打印：no children: ECHILD"
                       "（errno.errorcode[error.errno] 给出错误的名字）"))
def prints_no_children_echild(run):
    if "no children: ECHILD" not in (line.strip() for line in run.lines):
        raise Failed(T("the line `no children: ECHILD` in the output", "输出中有一行 `no children: ECHILD`"),
                     T(f"{len(run.lines)} lines, none of them that", f"共 {len(run.lines)} 行，没有这一行"))


exits_with_status_0 = exercise.check_exit_status_0()
