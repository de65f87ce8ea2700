"""Grading the zombie exercise: one child, a zombie for 2 s with exit status 7, reaped by its parent.

PID 1 of the grading container never reaps (see `Exercise.reaper`): a zombie the program did not
reap stays in the table, under PID 1, after the program has exited. Whether the parent reaped
its child is then read from the final table, not from the order of two events a few
milliseconds apart.
"""

from lab.grading import Exercise, Failed

exercise = Exercise("zombie", "Make a zombie, keep it for 2 s, then reap it", time_limit=8)

VISIBLE = 0.2  # a zombie that lives less than this is not one a student could have seen with ps
KEPT = 2.0
SAMPLING_SLACK = 0.1  # the observer samples every 10 ms: sleeping exactly 2 s must pass


def the_zombie(run):
    """The first child of the main process that was a zombie long enough to be seen, or None."""
    return next((pid for pid in sorted(run.children()) if run.zombie_time(pid) >= VISIBLE), None)


def first_zombie_frame(run, pid):
    return run.first(lambda s: (p := s.pid(pid)) is not None and p.state == "Z")


@exercise.check(points=2, hint="the child must end at once with os._exit(7), and the parent must not wait for it yet")
def child_becomes_a_zombie(run):
    """the child becomes a zombie with exit status 7"""
    pid = the_zombie(run)
    if pid is None:
        seen = {p: f"{run.zombie_time(p):.2f} s" for p in run.children()}
        raise Failed(f"a child of the main process (PID {run.main}) in state Z for at least {VISIBLE} s",
                     f"zombie time of each child seen: {seen or 'no child seen'}", run.last_table.table())
    t, table = first_zombie_frame(run, pid)
    status = table.pid(pid).exit_code
    if status != 7:
        raise Failed("the zombie's exit status to be 7", f"exit status {status}", table.table())
    return t


@exercise.check(points=1, after=child_becomes_a_zombie, hint="call os.fork() exactly once")
def only_one_child(run):
    """the program creates exactly one child"""
    children = run.children()
    if len(children) != 1:
        raise Failed(f"exactly one child of the main process (PID {run.main})",
                     f"{len(children)} children: {sorted(children)}", run.table_at(first_zombie_frame(run, the_zombie(run))[0]).table())


@exercise.check(points=2, after=only_one_child, hint="sleep at least 2 s before calling os.waitpid")
def stays_a_zombie_for_2_s(run):
    """the child stays a zombie for at least 2 s"""
    pid = the_zombie(run)
    if run.zombie_time(pid) < KEPT - SAMPLING_SLACK:
        raise Failed(f"the child a zombie for at least {KEPT:g} s", f"a zombie for {run.zombie_time(pid):.2f} s",
                     run.table_at(first_zombie_frame(run, pid)[0]).table())


@exercise.check(points=2, after=only_one_child,
                hint="call os.waitpid(pid, 0) before the program ends: only the parent can reap its zombie here")
def parent_reaps_it(run):
    """the parent reaps the zombie"""
    pid = the_zombie(run)
    if pid in {p.pid for p in run.leftovers}:
        raise Failed(f"the zombie (PID {pid}) removed by a wait of its parent",
                     f"it was still a zombie after the program had exited (now a child of {run.the_reaper})",
                     run.last_table.table())
    return run.first(lambda s: s.pid(pid) is None, since=first_zombie_frame(run, pid)[0])[0]


@exercise.check(points=1, after=parent_reaps_it, hint="print exactly: reaped <pid> status 7")
def reports_the_reaped_child(run):
    """prints `reaped <pid> status 7` with the child's real PID"""
    expected = f"reaped {the_zombie(run)} status 7"
    if expected not in (line.strip() for line in run.lines):
        raise Failed(f"the line {expected!r} in the output", f"{len(run.lines)} lines, none of them that")


exits_with_status_0 = exercise.check_exit_status_0(
    "the program exits with status 0",
    hint="the main program must end normally")
