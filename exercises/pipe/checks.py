"""Grading the pipe exercise: 1..N through a Pipe, a child that reads until EOFError, a parent that joins.

The classic failure is a hang: `recv()` raises EOFError only once *every* copy of the sending end
is closed, including the copy the child inherited at the fork. A hanging program is killed at
the time limit, and the table at that moment shows who is blocked: the child, alive in state S,
waiting in recv(); the parent, alive in state S, waiting in join().

Two runs: N = 100, and N = 50000, long enough (the child reads for a good fraction of a second)
for the process table to show the child for certain. With N = 100 the whole exchange may fit
between two samples, so a child that was not seen there proves nothing: children are required
to be seen only in the long run. PID 1 of the container never reaps, so a child nobody waited
for stays in the table as a zombie, with its exit status, after the program has ended.
"""

from lab.grading import Exercise, Failed, Trial, state_of

SHORT = Trial("N=100", env={"N": "100"})
LONG = Trial("N=50000", env={"N": "50000"})

# The reference takes 0.3-2 s a run; a hang is killed at 10 s.
exercise = Exercise("pipe", "Send 1..N through a Pipe; the child sums until EOFError", trials=(SHORT, LONG),
                    time_limit=10)


def n_of(run):
    return int(run.trial.env["N"])


def long_run(run):
    return run.trial is LONG or run.trial.name == LONG.name


@exercise.check(points=2, hint="close every copy of the sending end: the parent closes its own after sending, and the "
                               "child closes the one it inherited at the fork before it starts to recv()")
def child_gets_eof(run):
    """the program ends: the child gets EOFError, and the parent's join returns"""
    if not run.timed_out:
        return run.exited_at
    main = run.leftovers.pid(run.main)
    children = [p for p in run.leftovers if p.ppid == run.main]
    parts = []
    for child in children:
        if child.state == "Z":
            parts.append(f"the child PID {child.pid} has ended (a zombie) but is not joined")
        elif child.state in "SD":
            parts.append(f"the child PID {child.pid} is still alive ({state_of(child)}): it waits in recv() for an "
                         "EOFError that never comes, because a copy of the sending end is still open (the one the "
                         "child inherited at the fork, or the parent's)")
        else:
            parts.append(f"the child PID {child.pid} is still alive ({state_of(child)})")
    if main is not None:
        waits = " waits for it in join()" if children and main.state in "SD" else " is still there"
        parts.append(f"the parent PID {main.pid} ({state_of(main)}){waits}")
    raise Failed(f"the program to end well within the {run.time_limit:g} s time limit",
                 f"still running at the time limit: {'; '.join(parts) or 'no process of it left to see'}",
                 run.last_table.table())


@exercise.check(points=1, hint="start exactly one child: multiprocessing.Process(...).start() once")
def exactly_one_child(run):
    """the program creates exactly one child"""
    children = run.children()
    if len(children) > 1:
        first_two = run.first(lambda s: len(s.children(run.main)) > 1)
        raise Failed(f"exactly one child of the main process (PID {run.main})",
                     f"{len(children)} children: {sorted(children)}",
                     (first_two[1] if first_two else run.last_table).table())
    if not children and long_run(run):
        raise Failed(f"one child of the main process (PID {run.main}), reading for a while with N={n_of(run)}",
                     "no child in the whole run: the numbers were not received by another process",
                     run.last_table.table())


@exercise.check(points=3, after=(child_gets_eof, exactly_one_child),
                hint="the sum of 1..N is N*(N+1)/2: send range(1, N + 1), not range(N)")
def child_prints_the_sum(run):
    """the child prints `sum <S>` with S = 1 + 2 + ... + N"""
    n = n_of(run)
    expected = f"sum {n * (n + 1) // 2}"
    lines = [" ".join(line.split()) for line in run.lines if line.split()[:1] == ["sum"]]
    if lines != [expected]:
        shown = ", ".join(repr(line) for line in lines[:5]) or "none"
        raise Failed(f"one line {expected!r} (N={n})", f"{len(lines)} line(s) `sum ...`: {shown}")


@exercise.check(points=2, after=(child_gets_eof, exactly_one_child),
                hint="the parent must join() its child (with os.fork: os.waitpid) before it exits")
def parent_waits_for_the_child(run):
    """the parent waits for the child: no zombie, no orphan left once the program has exited"""
    if len(run.leftovers):
        raise Failed("no process of the program left after it exited", "; ".join(run.leftover_phrases()),
                     run.last_table.table())


exits_with_status_0 = exercise.check_exit_status_0(
    "the parent exits with status 0",
    hint="the parent must end normally, after joining the child")
