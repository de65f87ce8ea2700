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

A signal sent to PID 1 from outside the container reaches it only if PID 1 has a handler for it
(SIG_DFL is ignored for an init): an init that installs none leaves SIGTERM undelivered, and the
workload gives up after 4 s with status 1.
"""

import signal
from pathlib import Path

from lab.grading import Exercise, Failed, NotObserved, ProclabError, Trial

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


exercise = Exercise("init", "A minimal init: start CMD, reap orphans, forward signals, pass on the exit status",
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
        return "CMD was still running, far from its end"
    ended = run.exited_at if run.exited_at is not None else run.ended
    if ended - marked[0] < WAITED:
        return f"CMD had begun to finish only {ended - marked[0]:.2f} s before (it takes {FINISH:g} s)"
    return None


@exercise.check(points=2, hint="fork, then os.execvp(sys.argv[1], sys.argv[1:]) in the child "
                                "(or subprocess.Popen(sys.argv[1:])); do not exec CMD in PID 1 itself")
def starts_cmd(run):
    """starts CMD as its child"""
    if cmd_pid(run) is None:
        raise Failed(f"a child of {run.the_reaper} running {' '.join(run.trial.args)!r}", "none seen", run.last_table.table())
    return run.first(lambda s: find_cmd(s, run.main, run.trial.args))[0]


@exercise.check(points=3, after=starts_cmd,
                hint="reap every child, not only CMD: loop on os.waitpid(-1, 0) until it returns CMD's PID")
def reaps_orphans(run):
    """reaps every orphan: none stays a zombie under PID 1 for more than 1 s"""
    if run.trial.name != "orphans":
        return None
    orphans = {pid: p for pid, p in run.children().items() if pid != cmd_pid(run)}
    if not orphans:
        raise Failed(f"the workload's orphans reparented to {run.the_reaper}", f"no orphan ever under {run.the_reaper}",
                     run.last_table.table())
    lingering = sorted((run.zombie_time(pid), pid) for pid in orphans if run.zombie_time(pid) > LINGERING)
    if lingering:
        seconds, pid = lingering[-1]
        first = run.first(lambda s: (p := s.pid(pid)) is not None and p.state == "Z")
        raise Failed(f"every orphan reaped by {run.the_reaper} as soon as it ends (a zombie for less than {LINGERING:g} s)",
                     f"{len(lingering)} of {len(orphans)} orphans stayed zombies under {run.the_reaper} for more than "
                     f"{LINGERING:g} s (PID {pid}: {seconds:.1f} s)",
                     run.table_at(first[0] + LINGERING).table())
    return None


@exercise.check(points=1, after=starts_cmd,
                hint="os.wait() returns whichever child ends first, often an orphan: wait until the PID "
                     "it returns is CMD's")
def waits_for_cmd(run):
    """does not exit before CMD has ended"""
    if run.trial.name not in WAITS:
        return None
    why = left_behind(run, cmd_pid(run))
    if why:
        raise Failed(f"{run.the_reaper} to exit only after CMD has exited", f"{run.the_reaper} exited while {why}",
                     run.last_table.table())
    return run.exited_at


@exercise.check(points=3, after=starts_cmd,
                hint="exit with os.waitstatus_to_exitcode(status) of CMD's status, not the raw wait status, "
                     "not 0, not another child's status")
def exits_with_cmd_status(run):
    """exits with CMD's exit status (3, 0 and 57 in three runs)"""
    if run.trial.name not in EXIT_STATUS:
        return None
    expected = EXIT_STATUS[run.trial.name]
    if run.exit_code != expected:
        observed = run.describe_end() if run.timed_out else f"{run.the_reaper} exited with status {run.exit_code}"
        raise Failed(f"{run.the_reaper} to exit with status {expected}, CMD's", observed, run.last_table.table())
    return run.exited_at


def forwards(run, signum):
    """The check of one signal trial: CMD received `signum`, and PID 1 waited for it to end."""
    if SIGNALS.get(run.trial.name) != signum:
        return None
    cmd = cmd_pid(run)
    got = run.first(lambda s: (p := s.pid(cmd)) is not None and p.ignores(signum) and finishing(p))
    why = left_behind(run, cmd)
    if got is None:
        handled = any(t >= 0 and (p := s.pid(run.main)) is not None and (p.catches(signum) or p.blocks(signum))
                      for t, s in run.frames)  # a handler, or blocked for sigwait
        if not handled:
            observed = f"{run.the_reaper} never had a handler for {signum.name}, so the kernel discarded it; CMD never got it"
        elif why:
            observed = f"{run.the_reaper} exited while {why}; CMD was never seen receiving {signum.name}"
        else:
            observed = f"CMD never received {signum.name}"
        raise Failed(f"CMD (PID {cmd}) to receive the {signum.name} sent to {run.the_reaper}", observed, run.last_table.table())
    if why:
        raise Failed(f"{run.the_reaper} to forward {signum.name} to CMD, then wait for CMD to exit",
                     f"CMD received it, but {run.the_reaper} exited while {why}", run.last_table.table())
    return got[0]


@exercise.check(points=2, after=starts_cmd,
                hint="PID 1 ignores a signal it has no handler for: install one for SIGTERM that calls "
                     "os.kill(cmd_pid, signum), and keep waiting")
def forwards_sigterm(run):
    """forwards SIGTERM to CMD"""
    return forwards(run, signal.SIGTERM)


@exercise.check(points=2, after=starts_cmd,
                hint="handle SIGINT too (Python's default handler raises KeyboardInterrupt in PID 1): "
                     "forward it with os.kill(cmd_pid, signum)")
def forwards_sigint(run):
    """forwards SIGINT to CMD"""
    return forwards(run, signal.SIGINT)
