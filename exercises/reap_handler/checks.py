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

from lab.grading import Exercise, Failed, NotObserved, Trial

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
    "reap_handler", "Reap 20 children with a SIGCHLD handler, in bursts of five",
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


def _seen_alive(run) -> dict:
    """The children ever seen alive (not yet zombies): PID -> t of the first such sighting."""
    found = {}
    for t, snapshot in run.frames:
        for process in snapshot.children(run.main):
            if process.state != "Z":
                found.setdefault(process.pid, t)
    return found


# -- the checks ------------------------------------------------------------------------------------

@exercise.check(points=2, hint="fork 20 children in a loop; each child sleeps (i // 5) * 0.2 s and then "
                               "ends with os._exit(i), so that it never goes on with the loop")
def starts_20_children(run):
    """the program starts 20 children (no more, no grandchildren; the 10 that sleep 0.4 s or more are seen alive)"""
    children = run.children()
    if len(children) > CHILDREN:
        first_seen = {}
        for t, snapshot in run.frames:
            for process in snapshot.children(run.main):
                first_seen.setdefault(process.pid, t)
        t = sorted(first_seen.values())[CHILDREN]  # when the 21st appeared
        raise Failed(f"at most {CHILDREN} children of the main process (PID {run.main})",
                     f"{len(children)} children", run.table_at(t).table())
    others = sorted(set(run.descendants()) - set(children))
    if others:
        t, table = run.first(lambda s: any(p.pid in others for p in s))
        raise Failed("children only: no child starts processes of its own",
                     f"{len(others)} grandchildren (PIDs {others[:10]})", table.table())
    alive = _seen_alive(run)
    if len(alive) < LONG_SLEEPERS:
        raise Failed(f"the {LONG_SLEEPERS} children that sleep 0.4 or 0.6 s each seen alive",
                     f"{len(alive)} children seen alive ({len(children)} children seen in all)",
                     run.table_at(max(alive.values(), default=0.0)).table())
    return sorted(alive.values())[LONG_SLEEPERS - 1]


@exercise.check(points=2, after=starts_20_children,
                hint="call signal.signal(signal.SIGCHLD, handler) before the first os.fork(): a child is a copy "
                     "of its parent, handlers included, so the children's signal masks show when it was installed")
def handler_before_children(run):
    """a SIGCHLD handler is installed before the children are started"""
    for pid in sorted(run.children()):
        for t, process in run.seen(pid):
            if process.state == "Z":
                continue
            if not process.catches(signal.SIGCHLD):
                what = "SIGCHLD ignored (SIG_IGN)" if process.ignores(signal.SIGCHLD) else "no SIGCHLD handler"
                raise Failed("each child, a copy of the main process when it was forked, to catch SIGCHLD "
                             "(SigCgt bit 17)",
                             f"child {pid} was forked with {what}: the main process had none when it forked",
                             run.table_at(t).table())
    return min(_seen_alive(run).values())


@exercise.check(points=2, after=starts_20_children, hint="child i must end with os._exit(i), i from 0 to 19")
def exit_statuses(run):
    """the children exit with statuses 0..19, a different one each (as seen on their zombies)"""
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
        problem = f"status {status} is not one of 0..{CHILDREN - 1}" if status not in range(CHILDREN) \
            else f"{len(pids)} children (PIDs {pids}) exited with the same status {status}"
        raise Failed(f"each child i to exit with status i (0..{CHILDREN - 1}): {CHILDREN} different statuses",
                     f"{problem}; statuses seen: {sorted(row.exit_code for row in zombies.values())}",
                     table.table())
    return None


@exercise.check(points=2, hint="in the handler, loop os.waitpid(-1, os.WNOHANG) until it returns (0, 0) or raises "
                               "ChildProcessError: one SIGCHLD may stand for several children that ended together")
def reaps_promptly(run):
    """no child stays a zombie for more than 0.5 s (the handler reaps every child that ends)"""
    children = run.children()
    for pid in sorted(children):
        total, passed_at = _zombie_spell(run, pid)
        if passed_at is not None:
            table = run.table_at(passed_at)
            zombies = sum(1 for p in table if p.pid in children and p.state == "Z")
            note = " (not counting the time the grader held the program stopped)" if _held(run) else ""
            raise Failed(f"every child reaped within {PROMPT:g} s of its end{note}",
                         f"child {pid} a zombie for {total:.1f} s; {zombies} zombie children at "
                         f"{passed_at:.1f} s into the run", table.table())
    return None


@exercise.check(points=2, hint="the handler must reap every child that ended, not one per signal: signals do not "
                               "queue, and only the parent can reap its children here (PID 1 never does)")
def no_zombie_left(run):
    """no zombie is left behind: all 20 children are reaped"""
    family = run.descendants()
    left = sorted(p.pid for p in run.leftovers if p.pid in family)
    if left:
        zombies = [p for p in run.leftovers if p.pid in family and p.state == "Z"]
        if run.timed_out:
            when = f"when the program was killed at the {run.time_limit:g} s time limit"
        else:
            when = f"after the program had exited (now children of {run.the_reaper}, which never reaps)"
        raise Failed("every child reaped by the program before it ends",
                     f"{len(zombies)} zombie children {when}: exit statuses "
                     f"{sorted(p.exit_code for p in zombies)}" + (
                         f"; {len(left) - len(zombies)} children still running" if len(left) > len(zombies) else ""),
                     run.leftovers.table())
    return run.exited_at


@exercise.check(points=1, after=(no_zombie_left, exit_statuses),
                hint=f"print exactly `{LINE}` once the handler has reaped all 20 children")
def prints_reaped_line(run):
    """prints `reaped 20 sum 190`"""
    if LINE not in (line.strip() for line in run.lines):
        last = f"; the last: {run.lines[-1][:200]!r}" if run.lines else ""
        raise Failed(f"the line {LINE!r} in the output", f"{len(run.lines)} lines, none of them that{last}")


exits_with_status_0 = exercise.check_exit_status_0(
    "the program exits with status 0 within 10 s",
    hint="the main flow must end (exit status 0) once all 20 are reaped: if it waits for a "
         "count of 20 that never comes, the handler missed children")
