"""Grading the init exercise: the submission is PID 1 of the container and runs a workload as CMD.

The workloads (workload.py, sent into the working directory with each run) make the behaviour
visible in /proc, so that every verdict rests on a state that lasts far longer than the 10 ms
sampling period, never on the order of two events a few milliseconds apart:

* the orphans are `sleep` processes reparented to PID 1; one that PID 1 does not reap stays a
  zombie under it until the end, at least 2 s after the last orphan ended (the workload
  holds 1.5 s, then takes 0.6 s to finish);
* before it exits, the workload shows its `finishing` mark (SIGUSR2 blocked, SIGUSR1 not) and
  then takes 0.6 s to finish: an init that exits while the workload had not shown it, or had
  only just shown it, did not wait for CMD;
* when it receives the signal it waits for, the workload sets that signal to SIG_IGN, then
  finishes: seen for 0.6 s, the proof the init forwarded the signal. The grader sends the signal
  only once the workload shows its `ready` mark (SIGUSR1 blocked, SIGUSR2 not).

A signal sent to PID 1 from outside the container reaches it only if PID 1 has a handler for it,
or blocks it (SIG_DFL is ignored for an init): an init that installs none leaves SIGTERM undelivered, and the
workload gives up after 4 s with status 1.
"""

import signal
from pathlib import Path

from lab.grading import Exercise, Failed, NotObserved, ProclabError, T, Trial

WORKLOAD = (Path(__file__).parent / "workload.py").read_text()

ORPHANS = 30
FINISH = 0.6  # workload.py: from the "finishing" mark (SIGUSR2 blocked) to its exit
WAITED = 0.3  # an init that exits less than this after the mark did not wait (FINISH, minus slack)
LINGERING = 1.0  # a zombie under PID 1 for longer than this was not reaped (unreaped ones stay >= 2 s)
READY_TIMEOUT = 6.0  # seconds the drive waits for the workload to catch its signal


def workload(name: str, *args: str) -> Trial:
    return Trial(name=name, args=("python3", "workload.py", *args), files={"workload.py": WORKLOAD})


TRIALS = (
    workload("orphans", "orphans", str(ORPHANS), "--exit", "3"),
    workload("sigterm", "catch", "TERM", "--exit", "42"),
    workload("sigint", "catch", "INT", "--exit", "43"),
    workload("exit-0", "work", "0.3", "--exit", "0"),
    workload("exit-57", "work", "0.3", "--exit", "57"),
)
SIGNALS = {"sigterm": signal.SIGTERM, "sigint": signal.SIGINT}  # trial -> the signal the drive sends
EXIT_STATUS = {"orphans": 3, "exit-0": 0, "exit-57": 57}  # trial -> CMD's exit status
WAITS = ("orphans", "exit-0", "exit-57")  # trials whose CMD ends by itself, not on a signal


def ready(process) -> bool:
    """workload.py's mark: its handler is installed (SIGUSR1 blocked, SIGUSR2 not)."""
    return process.blocks(signal.SIGUSR1) and not process.blocks(signal.SIGUSR2)


def finishing(process) -> bool:
    """workload.py's mark: it exits FINISH s from now (SIGUSR2 blocked, SIGUSR1 not)."""
    return process.blocks(signal.SIGUSR2) and not process.blocks(signal.SIGUSR1)


def find_cmd(snapshot, main: int, args):
    """CMD in this table: a child of the init running the trial's command line, or None.

    The init's own child, not a fork server's (as `Run.children_in` would allow): an init must be
    able to wait for CMD and read its exit status, which only CMD's parent can.

    Not when the init itself runs that command line (it exec'd CMD instead of starting it):
    then its children with the same command line are CMD's forks, not CMD. An orphan can show
    CMD's command line under PID 1 too, between its fork and its exec of `sleep`; CMD is older,
    so it has the lowest PID (the table is sorted by PID) and is seen first.
    """
    init = snapshot.pid(main)
    if init is not None and init.cmdline == tuple(args):
        return None
    return next((p for p in snapshot.children(main) if p.cmdline == tuple(args)), None)


def send_signal(live) -> None:
    """For the signal trials: once the workload is ready for the signal, send it to PID 1 from outside.

    Ready is its mark (see `ready`), not "catches the signal": every Python program catches
    SIGINT from its start, long before the workload has installed its own handler.
    """
    signum = SIGNALS.get(live.trial.name)
    if signum is None:
        return
    try:
        live.observer.wait_for(
            lambda s: (p := find_cmd(s, live.main, live.trial.args)) is not None and ready(p),
            READY_TIMEOUT, f"the workload ready for {signum.name}")
        live.sandbox.signal(live.main, signum)  # the sandbox's init: PID 1 of a container
    except (NotObserved, ProclabError):
        return  # no workload (or no container) to signal: the checks say what went wrong


exercise = Exercise("init", T("A minimal init: start CMD, reap orphans, forward signals, pass on the exit status",
                               "一个最小的 init：启动 CMD，回收孤儿，转发信号，传递退出状态"),
                    trials=TRIALS, time_limit=10, as_pid1=True, drive=send_signal)


def cmd_pid(run):
    """PID of CMD (see `find_cmd`), or None if it was never seen."""
    return next((p.pid for _, s in run.frames if (p := find_cmd(s, run.main, run.trial.args))), None)


def left_behind(run, cmd):
    """None if the init waited for CMD to exit; else what CMD was doing when the init exited.

    CMD exits on its own only FINISH s after its `finishing` mark. So an init that waited was still
    running at least that long after the mark; one that exited while CMD had not begun to finish,
    or had only just begun, did not wait (then CMD was killed with the sandbox, as in a container
    the kernel kills everything when PID 1 exits).
    """
    if run.timed_out:
        return None
    marked = run.first(lambda s: (p := s.pid(cmd)) is not None and finishing(p))
    if marked is None:
        return T("CMD was still running, far from its end", "CMD 仍在运行，离结束还远")
    ended = run.exited_at if run.exited_at is not None else run.ended
    if ended - marked[0] < WAITED:
        return T(f"CMD had begun to finish only {ended - marked[0]:.2f} s before (it takes {FINISH:g} s)",
                 f"CMD 在那之前 {ended - marked[0]:.2f} 秒才开始收尾（收尾要 {FINISH:g} 秒）")
    return None


@exercise.check(points=2, title=T("starts CMD as its child", "把 CMD 作为自己的子进程启动"),
                hint=T("fork, then os.execvp(sys.argv[1], sys.argv[1:]) in the child (or subprocess.Popen(sys.argv[1:])); "
                       "do not exec CMD in PID 1 itself",
                       "先 fork，再在子进程中 os.execvp(sys.argv[1], sys.argv[1:])（或者 subprocess.Popen(sys.argv[1:])）；"
                       "不要在 1 号进程里直接 exec CMD"))
def starts_cmd(run):
    if cmd_pid(run) is None:
        command = " ".join(run.trial.args)
        raise Failed(T(f"a child of {run.the_reaper.en} running {command!r}", f"{run.the_reaper.zh}的一个子进程在运行 {command!r}"),
                     T("none seen", "一个也没有看到"), run.last_table.table())
    return run.first(lambda s: find_cmd(s, run.main, run.trial.args))[0]


@exercise.check(points=3, after=starts_cmd,
                title=T("reaps every orphan: none stays a zombie under PID 1 for more than 1 s",
                        "回收每一个孤儿：没有孤儿在 1 号进程之下保持僵尸状态超过 1 秒"),
                hint=T("reap every child, not only CMD: loop on os.waitpid(-1, 0) until it returns CMD's PID",
                       "回收每一个子进程，而不只是 CMD：循环调用 os.waitpid(-1, 0)，直到它返回 CMD 的 PID"))
def reaps_orphans(run):
    if run.trial.name != "orphans":
        return None
    orphans = {pid: p for pid, p in run.children().items() if pid != cmd_pid(run)}
    if not orphans:
        raise Failed(T(f"the workload's orphans reparented to {run.the_reaper.en}", f"工作负载的孤儿由{run.the_reaper.zh}收养"),
                     T(f"no orphan ever under {run.the_reaper.en}", f"{run.the_reaper.zh}之下从来没有孤儿"),
                     run.last_table.table())
    lingering = sorted((run.zombie_time(pid), pid) for pid in orphans if run.zombie_time(pid) > LINGERING)
    if lingering:
        seconds, pid = lingering[-1]
        first = run.first(lambda s: (p := s.pid(pid)) is not None and p.state == "Z")
        raise Failed(T(f"every orphan reaped by {run.the_reaper.en} as soon as it ends "
                       f"(a zombie for less than {LINGERING:g} s)",
                       f"每个孤儿一结束就被{run.the_reaper.zh}回收（保持僵尸状态不到 {LINGERING:g} 秒）"),
                     T(f"{len(lingering)} of {len(orphans)} orphans stayed zombies under {run.the_reaper.en} for more "
                       f"than {LINGERING:g} s (PID {pid}: {seconds:.1f} s)",
                       f"{len(orphans)} 个孤儿中有 {len(lingering)} 个在{run.the_reaper.zh}之下保持僵尸状态超过 "
                       f"{LINGERING:g} 秒（PID {pid}：{seconds:.1f} 秒）"),
                     run.table_at(first[0] + LINGERING).table())
    return None


@exercise.check(points=1, after=starts_cmd,
                title=T("does not exit before CMD has ended", "不在 CMD 结束之前退出"),
                hint=T("os.wait() returns whichever child ends first, often an orphan: wait until the PID it returns "
                       "is CMD's",
                       "os.wait() 返回最先结束的那个子进程，常常是一个孤儿：一直等到它返回的 PID 是 CMD 的 PID"))
def waits_for_cmd(run):
    if run.trial.name not in WAITS:
        return None
    why = left_behind(run, cmd_pid(run))
    if why:
        raise Failed(T(f"{run.the_reaper.en} to exit only after CMD has exited", f"{run.the_reaper.zh}在 CMD 退出之后才退出"),
                     T(f"{run.the_reaper.en} exited while {why.en}", f"{run.the_reaper.zh}退出时，{why.zh}"),
                     run.last_table.table())
    return run.exited_at


@exercise.check(points=3, after=starts_cmd,
                title=T("exits with CMD's exit status (3, 0 and 57 in three runs)",
                        "以 CMD 的退出状态退出（三次运行中分别为 3、0 和 57）"),
                hint=T("exit with os.waitstatus_to_exitcode(status) of CMD's status, not the raw wait status, not 0, "
                       "not another child's status",
                       "以 os.waitstatus_to_exitcode(status) 换算出的 CMD 的退出状态退出，而不是原始的 wait 状态，"
                       "不是 0，也不是别的子进程的状态"))
def exits_with_cmd_status(run):
    if run.trial.name not in EXIT_STATUS:
        return None
    expected = EXIT_STATUS[run.trial.name]
    if run.exit_code != expected:
        observed = run.describe_end() if run.timed_out else \
            T(f"{run.the_reaper.en} exited with status {run.exit_code}", f"{run.the_reaper.zh}以退出状态 {run.exit_code} 退出")
        raise Failed(T(f"{run.the_reaper.en} to exit with status {expected}, CMD's",
                       f"{run.the_reaper.zh}以退出状态 {expected}（即 CMD 的）退出"),
                     observed, run.last_table.table())
    return run.exited_at


def forwards(run, signum):
    """The check of one signal trial: CMD received `signum`, and PID 1 waited for it to end."""
    if SIGNALS.get(run.trial.name) != signum:
        return None
    cmd = cmd_pid(run)
    name, init = signum.name, run.the_reaper
    got = run.first(lambda s: (p := s.pid(cmd)) is not None and p.ignores(signum) and finishing(p))
    why = left_behind(run, cmd)
    if got is None:
        handled = any(t >= 0 and (p := s.pid(run.main)) is not None and (p.catches(signum) or p.blocks(signum))
                      for t, s in run.frames)  # a handler, or blocked for sigwait
        if not run.first(lambda s: (p := s.pid(cmd)) is not None and ready(p)):
            observed = T(f"CMD never showed it was ready for {name}, so the grader never sent it",
                         f"CMD 从未表明它已准备好接收 {name}，所以评分程序没有发送这个信号")
            if why:
                observed = T(f"{init.en} exited while {why.en}; {observed.en}", f"{init.zh}退出时，{why.zh}；{observed.zh}")
        elif not handled:
            observed = T(f"{init.en} never had a handler for {name} (nor blocked it), so the kernel discarded it; "
                         f"CMD never got it",
                         f"{init.zh}从来没有 {name} 的处理函数（也没有阻塞它），所以内核丢弃了它；CMD 从未收到")
        elif why:
            observed = T(f"{init.en} exited while {why.en}; CMD was never seen receiving {name}",
                         f"{init.zh}退出时，{why.zh}；从未看到 CMD 收到 {name}")
        else:
            observed = T(f"CMD never received {name}", f"CMD 从未收到 {name}")
        raise Failed(T(f"CMD (PID {cmd}) to receive the {name} sent to {init.en}",
                       f"CMD（PID {cmd}）收到发给{init.zh}的 {name}"), observed, run.last_table.table())
    if why:
        raise Failed(T(f"{init.en} to forward {name} to CMD, then wait for CMD to exit",
                       f"{init.zh}把 {name} 转发给 CMD，然后等待 CMD 退出"),
                     T(f"CMD received it, but {init.en} exited while {why.en}", f"CMD 收到了，但{init.zh}退出时，{why.zh}"),
                     run.last_table.table())
    return got[0]


@exercise.check(points=2, after=starts_cmd, title=T("forwards SIGTERM to CMD", "把 SIGTERM 转发给 CMD"),
                hint=T("PID 1 ignores a signal it has no handler for: install one for SIGTERM that calls "
                       "os.kill(cmd_pid, signum), and keep waiting",
                       "1 号进程会忽略没有处理函数的信号：为 SIGTERM 安装一个调用 os.kill(cmd_pid, signum) 的"
                       "处理函数，然后继续等待"))
def forwards_sigterm(run):
    return forwards(run, signal.SIGTERM)


@exercise.check(points=2, after=starts_cmd, title=T("forwards SIGINT to CMD", "把 SIGINT 转发给 CMD"),
                hint=T("handle SIGINT too (Python's default handler raises KeyboardInterrupt in PID 1): "
                       "forward it with os.kill(cmd_pid, signum)",
                       "SIGINT 也要处理（Python 默认的处理函数会在 1 号进程中抛出 KeyboardInterrupt）："
                       "用 os.kill(cmd_pid, signum) 转发它"))
def forwards_sigint(run):
    return forwards(run, signal.SIGINT)
