"""Grading the daemon exercise: a daemonic ticker beside a worker of 1 s, gone with the main program.

What the host can tell apart, and what it cannot:

* The ticker and the worker are two children that run side by side for about 1 s (the worker's
  life). Which of the two is which cannot be told from the table: the worker ends, the main
  program prints and exits, and Python's exit handler (multiprocessing's atexit) sends SIGTERM to
  the daemon, all within a few milliseconds, often between two samples. So the checks treat the
  pair symmetrically: the longer-lived one is called the ticker.
* The worker's exit status is not observable: its parent's join reaps it within microseconds, it
  is never a zombie long enough to be sampled. It is not graded.
* Whether the daemon was stopped by the exit handler or by the program's own terminate() just
  before it ends is not observable either (same signal, a few milliseconds apart). Not graded.
* Forgetting `daemon=True` (or setting it after start(), which raises an AssertionError and
  leaves the ticker non-daemonic) makes the main program wait forever at exit for the ticker:
  a time-out. Forgetting the join lets the exit handler stop the daemon at once, before the
  worker has done anything: the two are never seen running together.
* What outlives the main process is read after it exits: PID 1 of the grading container never
  reaps, so an escaped ticker (a plain os.fork nobody stops) is still running there, under PID 1.
"""

from itertools import combinations

from lab.grading import Exercise, Failed, Trial

# A correct program runs about 1.2 s, up to 2.5 s on a loaded machine (Python's start-up slows
# down most); 8 s never stops a correct one and stops a hanging one (no daemon=True) fast enough.
exercise = Exercise("daemon", "A daemonic ticker beside a worker; nothing outlives the main program",
                    trials=(Trial("first"), Trial("second")), time_limit=8)

TOGETHER_MIN = 0.75  # the worker sleeps 1 s; sampling and a loaded machine may hide up to 0.25 s of it
PERIOD = 0.1  # seconds between two ticks
MIN_TICKS = 5  # the ticker runs at least during the worker's 1 s: about 10 ticks, 10 also on a loaded machine
OUTLIVE_SLACK = 0.2  # seconds after the main process's exit from which anything still running outlived it


def alive(process) -> bool:
    return process.state != "Z"


def helpers(run) -> set:
    """PIDs of multiprocessing's own helpers (resource tracker, fork server): not the student's processes.

    Every sighting is looked at: a helper is first seen, between its fork and its exec, with its
    parent's command line.
    """
    found = set()
    for _, snapshot in run.frames:
        for p in snapshot:
            command = " ".join(p.cmdline)
            if "multiprocessing.resource_tracker" in command or \
                    ("multiprocessing.forkserver" in command and p.ppid == run.main):
                found.add(p.pid)
    return found


def workers(run) -> list:
    """PIDs of the processes the program started (its descendants, multiprocessing's helpers left out)."""
    left_out = helpers(run)
    return sorted(pid for pid in run.descendants() if pid not in left_out)


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


@exercise.check(points=2, hint="start both before joining the worker; the ticker must loop forever, and the "
                               "worker must be joined, else at exit Python stops the daemon at once")
def runs_side_by_side(run):
    """two children, the daemon and the worker, run side by side for the worker's 1 s"""
    pair = the_pair(run)
    if pair is None:
        raise Failed(f"two processes of the program alive at the same time, for at least {TOGETHER_MIN:g} s",
                     f"never two at once (processes of the program seen: {workers(run) or 'none'})",
                     run.busiest(workers(run))[1].table())
    ticker, worker, seconds = pair
    if seconds < TOGETHER_MIN:
        ended = end_of_pair(run, pair)
        raise Failed(f"two processes of the program alive together for the worker's 1 s "
                     f"(at least {TOGETHER_MIN:g} s)",
                     f"PIDs {ticker} and {worker} were alive together for {seconds:.2f} s",
                     (ended[1] if ended else run.busiest(workers(run))[1]).table())
    ended = end_of_pair(run, pair)
    return ended[0] if ended else None


@exercise.check(points=2, after=runs_side_by_side,
                hint="loop forever: print('tick', flush=True), then time.sleep(0.1); without flush the lines "
                     "wait in the daemon's buffer (the output is a pipe) and are lost when SIGTERM ends it")
def daemon_ticks(run):
    """the daemon prints `tick` about every 0.1 s while it runs"""
    ticker, _, _ = the_pair(run)
    life = run.duration(ticker, alive)
    # at most: one every 0.1 s of its observed life (that includes, under the spawn start method,
    # an interpreter's start-up), with slack; a loop without sleep prints thousands
    low, high = MIN_TICKS, int(1.5 * life / PERIOD) + 5
    ticks = sum(1 for line in run.lines if line.strip() == "tick")
    if not low <= ticks <= high:
        truncated = " (output cut at the grader's limit)" if run.output_truncated else ""
        raise Failed(f"between {low} and {high} lines `tick` (about one every {PERIOD:g} s "
                     f"for the {life:.1f} s the daemon, PID {ticker}, was seen alive)",
                     f"{ticks} lines `tick`{truncated}")


@exercise.check(points=1, hint="print exactly: worker done")
def prints_worker_done(run):
    """prints `worker done`"""
    if "worker done" not in (line.strip() for line in run.lines):
        raise Failed("the line 'worker done' in the output", f"{len(run.lines)} lines, none of them that")


@exercise.check(points=3, after=runs_side_by_side,
                hint="set daemon=True before start() (in the constructor): at exit Python waits for every "
                     "non-daemonic child, and the ticker never ends; setting it after start() raises an error")
def ends_by_itself(run):
    """the main program ends by itself, although the ticker never stops on its own"""
    if run.exit_code is None:  # at the time limit, or stopped for flooding its output
        raise Failed("the main program to end by itself once the worker is done",
                     f"{run.describe_end()} (stopped by the grader)", run.last_table.table())
    return run.exited_at


@exercise.check(points=2, after=ends_by_itself,
                hint="start the ticker with multiprocessing (daemon=True), not os.fork: a plain fork nobody "
                     "stops keeps running after the main program, reparented to the reaper")
def nothing_outlives_main(run):
    """nothing of the program is still running after the main process has exited"""
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
        seen = ", ".join(f"PID {pid} ({p.command[:40]}) {until - run.exited_at:.1f} s after it"
                         for pid, (until, p) in sorted(last_alive.items()))
        latest = max(until for until, _ in last_alive.values())
        raise Failed("no process of the program running after the main process has exited",
                     f"still running: {seen}", run.table_at(latest).table())
    return run.exited_at


exits_with_status_0 = exercise.check_exit_status_0(
    "the main program exits with status 0",
    hint="the main program must end normally")
