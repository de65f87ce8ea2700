"""Grading the orphan exercise: the main process leaves, its child is adopted by PID 1 and says so.

The main process is started with ``docker exec`` (its parent is outside the container: PPID 0).
PID 1 of the grading container is a ``sleep`` that never reaps (see `Exercise.reaper`): an orphan
is reparented to it and, once it exits, stays there as a zombie with its exit status. That final
zombie is the evidence used here: it shows that the main process never waited for its child,
that the child was adopted by PID 1, and when and how the child ended — without depending on
catching a moment that lasts a few milliseconds.
"""

from lab.grading import Exercise, Failed, Trial

MAIN_WITHIN = 1.0  # the main process exits within 1 s
CHILD_WITHIN = 5.0  # the child exits within 5 s of the main process's exit
SAMPLING_SLACK = 0.1  # the observer samples every 10 ms, on a machine that may be loaded
VISIBLE = 0.2  # a state that lasts less than this is not one to grade on

# Three runs: a child that guesses (sleeps a little, then reads its PPID) instead of watching
# for the change gets three chances to show it; the whole costs about 4 s for a right solution.
exercise = Exercise(
    "orphan", "Leave a child behind: it is adopted by PID 1 and says so",
    trials=(Trial("first"), Trial("second"), Trial("third")),
    time_limit=5, linger=CHILD_WITHIN + 0.5,
)


def is_offspring(run, p) -> bool:
    """Is `p` one of the program's processes other than the main one?

    A child of the main process, or a process of the student under PID 1: the main process may
    be gone before the first snapshot that shows its child, and in this container only the
    program's own processes run as the student under PID 1 (``docker exec`` helpers have PPID 0).
    """
    return p.uid == run.student_uid and p.pid != run.main and p.ppid in (run.main, run.reaper)


def offspring(run) -> dict:
    """The program's processes other than the main one, ever seen: PID -> first sighting."""
    found = {}
    for _, snapshot in run.frames:
        for p in snapshot:
            if is_offspring(run, p):
                found.setdefault(p.pid, p)
    return found


def the_orphan(run):
    """The first of the program's processes left under PID 1 at the end (alive or a zombie), or None."""
    left = [p for p in run.last_table if is_offspring(run, p) and p.ppid == run.reaper]
    return min(left, key=lambda p: p.pid) if left else None


def died_before_its_parent(run, pid) -> float:
    """For how long `pid` was seen as a zombie of the main process (it ended before its parent)."""
    return run.duration(pid, lambda p: p.state == "Z" and p.ppid == run.main)


def became_a_zombie(run, pid):
    """(t, snapshot) of the first table where `pid` is a zombie, or None."""
    return run.first(lambda s: (p := s.pid(pid)) is not None and p.state == "Z")


def child_started_at(run) -> float:
    """When the main process's first child was first seen (0, the release, if none was seen)."""
    seen = run.first(lambda s: any(is_offspring(run, p) for p in s), since=0)
    return seen[0] if seen else 0.0


@exercise.check(points=2, hint="the main process must not wait, join or sleep: start the child, then just end (status 0)")
def main_exits_0_within_1_s(run):
    """the main process exits with status 0 within 1 s of starting its child"""
    # Timed from the child's first sighting, not from the release: the interpreter's start-up
    # alone may take most of a second on a loaded machine. A main process that ends a few ms
    # after forking may be gone before its child is first seen: then the time is <= 0.
    started = child_started_at(run)
    if run.exit_code != 0 or run.exited_at is None or run.exited_at - started > MAIN_WITHIN:
        timing = f"; its child was first seen at {started:.1f} s" if started else ""
        raise Failed(f"the main process (PID {run.main}) to exit with status 0 within {MAIN_WITHIN:g} s "
                     f"of starting its child", run.describe_end() + timing,
                     run.table_at(run.exited_at - 0.05 if run.exited_at else run.ended).table())
    return run.exited_at


@exercise.check(points=3, hint="the main process must not wait for its child (os.waitpid, join; multiprocessing "
                               "joins non-daemon children at exit: use os.fork), and the child must still be "
                               "running when its parent exits")
def child_is_adopted_by_pid_1(run):
    """the child outlives the main process and is adopted by PID 1"""
    orphan = the_orphan(run)
    if orphan is None:
        seen = sorted(offspring(run))
        why = (f"children seen: {seen}, none of them under {run.the_reaper} at the end (the main process reaped them, "
               f"or was still running)" if seen else "no child of the main process was ever seen")
        raise Failed(f"a child of the main process (PID {run.main}) left behind under {run.the_reaper} when the main process ends",
                     why, run.last_table.table())
    early = died_before_its_parent(run, orphan.pid)
    if early >= VISIBLE:
        t, _ = run.first(lambda s: (p := s.pid(orphan.pid)) is not None and p.state == "Z" and p.ppid == run.main)
        raise Failed(f"the child (PID {orphan.pid}) still running when its parent exits",
                     f"it had already exited: a zombie of the main process for {early:.2f} s", run.table_at(t).table())
    adopted = run.first(lambda s: (p := s.pid(orphan.pid)) is not None and p.ppid == run.reaper)
    return adopted[0] if adopted else None


@exercise.check(points=1, after=child_is_adopted_by_pid_1, hint="call os.fork() once")
def only_one_child(run):
    """the main process starts exactly one child"""
    children = offspring(run)
    if len(children) != 1:
        raise Failed(f"exactly one child of the main process (PID {run.main})",
                     f"{len(children)} children: {sorted(children)}", run.last_table.table())


@exercise.check(points=2, after=child_is_adopted_by_pid_1,
                hint="in the child, wait until os.getppid() has changed (poll it), then print it, with flush=True")
def prints_adopted_by_1(run):
    """the child prints `adopted by 1`: its real new PPID, read after the main process has gone"""
    expected = f"adopted by {the_orphan(run).ppid}"
    if expected not in (line.strip() for line in run.lines):
        said = [line.strip() for line in run.lines if line.strip().startswith("adopted by")]
        raise Failed(f"the line {expected!r} in the output",
                     f"{said} (read while the main process is alive, the PPID is its PID, {run.main})" if said
                     else f"{len(run.lines)} lines, none of them 'adopted by ...'")


@exercise.check(points=2, after=child_is_adopted_by_pid_1,
                hint="after printing, the child must end (os._exit(0)) instead of waiting or sleeping")
def child_exits_within_5_s(run):
    """the child exits within 5 s of the main process's exit"""
    orphan = the_orphan(run)
    ended = became_a_zombie(run, orphan.pid)
    if ended is None:
        raise Failed(f"the child (PID {orphan.pid}) to exit within {CHILD_WITHIN:g} s of the main process",
                     f"still running {run.ended - (run.exited_at or 0):.1f} s after the main process had exited",
                     run.last_table.table())
    t, snapshot = ended
    if run.exited_at is None or t - run.exited_at > CHILD_WITHIN + SAMPLING_SLACK:
        raise Failed(f"the child (PID {orphan.pid}) to exit within {CHILD_WITHIN:g} s of the main process",
                     f"it exited {t - (run.exited_at or 0):.1f} s after the main process", snapshot.table())
    return t


@exercise.check(points=1, after=child_exits_within_5_s, hint="end the child with os._exit(0) (or sys.exit(0))")
def child_exits_with_status_0(run):
    """the child exits with status 0"""
    orphan = the_orphan(run)
    t, snapshot = became_a_zombie(run, orphan.pid)
    status = snapshot.pid(orphan.pid).exit_code
    if status != 0:
        raise Failed(f"the child's exit status (its zombie under {run.the_reaper}) to be 0", f"exit status {status}",
                     snapshot.table())
    return t
