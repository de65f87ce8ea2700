"""Grading the tickets exercise: BUYERS buyer processes at once, and not one ticket oversold.

Three runs with different tickets, buyers and delays. Every buyer waits DELAY seconds, so each
buyer process lives at least that long (well above the 10 ms sampling): counting them does not
depend on catching a moment. With a Lock the buyers are all started together and wait on the
lock, so all of them are alive at once for about DELAY seconds; a program that joins each buyer
before starting the next never has two alive. Without a lock, DELAY is far longer than the few
milliseconds between two starts, so every buyer reads the count before anyone writes it back:
the oversell is certain, not a matter of luck. The sales are read from the buyers' lines and
from tickets.json as the program left it.
"""

import json
import re

from lab.grading import Exercise, Failed, Trial

TICKETS = "tickets.json"


def trial(name, tickets, buyers, delay):
    return Trial(name=name, env={"BUYERS": str(buyers), "DELAY": str(delay)},
                 files={TICKETS: json.dumps({"count": tickets})})


exercise = Exercise(
    "tickets", "BUYERS processes buy tickets at once; a Lock makes sure none is oversold",
    trials=(
        trial("1 ticket, 5 buyers", 1, 5, 0.3),
        trial("3 tickets, 8 buyers", 3, 8, 0.25),
        trial("5 tickets, 4 buyers", 5, 4, 0.4),
    ),
    time_limit=10,  # the reference takes at most BUYERS * DELAY = 2 s of run time
    collect=(TICKETS,),
)

LINE = re.compile(r"buyer (\d+) (got a ticket|sold out)")


def settings(run):
    """(tickets at the start, buyers, delay) of this run."""
    return (json.loads(run.trial.files[TICKETS])["count"], int(run.trial.env["BUYERS"]),
            float(run.trial.env["DELAY"]))


def buyers(run):
    """Every process the program started (its descendants), PID -> first sighting."""
    return run.descendants()


def plural(n, word):
    return f"{n} {word}" + ("" if n == 1 else "s")


def outcomes(run):
    """[(buyer index, 'got a ticket' | 'sold out')] for each line of that form, in output order."""
    return [(int(m[1]), m[2]) for line in run.lines if (m := LINE.fullmatch(line.strip()))]


@exercise.check(points=2, hint="start one multiprocessing.Process per buyer (threads are not processes), "
                               "as many as the BUYERS environment variable says")
def buyers_are_processes(run):
    """the program starts BUYERS buyer processes"""
    _, count, _ = settings(run)
    seen = buyers(run)
    if len(seen) < count:
        raise Failed(f"at least {count} processes started by the main process (PID {run.main})",
                     f"{len(seen)} seen: {sorted(seen) or 'none'}", run.busiest(seen)[1].table())


@exercise.check(points=2, after=buyers_are_processes,
                hint="start every buyer before you join any: join() right after start() runs the buyers one "
                     "after the other; a Lock makes only the critical section take turns")
def buyers_alive_together(run):
    """all BUYERS buyers are alive at the same time"""
    _, count, _ = settings(run)
    pids = set(buyers(run))
    most, table = run.busiest(pids)
    if most < count:
        raise Failed(f"all {count} buyers alive (not zombies) in one process table",
                     f"at most {most} alive at once", table.table())
    return run.first(lambda s: len(s.alive(pids)) >= count)[0]


@exercise.check(points=2, hint="each buyer i (0 to BUYERS-1) prints exactly one line: "
                               "buyer <i> got a ticket, or buyer <i> sold out")
def every_buyer_reports(run):
    """each buyer 0 to BUYERS-1 prints exactly one line: `buyer <i> got a ticket` or `buyer <i> sold out`"""
    _, count, _ = settings(run)
    indices = sorted(i for i, _ in outcomes(run))
    if indices != list(range(count)):
        raise Failed(f"one line for each buyer 0 to {count - 1}, none twice",
                     f"lines for buyers {indices or 'none'} ({plural(len(run.lines), 'line')} of output)")


@exercise.check(points=3, after=every_buyer_reports,
                hint="hold one multiprocessing.Lock from reading the count until it is written back: "
                     "a lock around the write alone still lets every buyer read the same count")
def none_oversold(run):
    """exactly min(N, BUYERS) buyers get a ticket: none is oversold"""
    tickets, count, _ = settings(run)
    got = sorted(i for i, outcome in outcomes(run) if outcome == "got a ticket")
    if len(got) != min(tickets, count):
        raise Failed(f"{plural(min(tickets, count), 'buyer')} to get a ticket "
                     f"({plural(tickets, 'ticket')}, {plural(count, 'buyer')})",
                     f"{len(got)} got one: buyers {got or 'none'}"
                     + (" (oversold)" if len(got) > tickets else ""))


@exercise.check(points=2, hint="each sale writes the count it read minus one; with the read and the write "
                               "under one Lock, no sale is lost")
def file_says_what_is_left(run):
    """tickets.json ends with count N - min(N, BUYERS)"""
    tickets, count, _ = settings(run)
    expected = tickets - min(tickets, count)
    text = run.files.get(TICKETS)
    try:
        left = json.loads(text)["count"] if text is not None else None
    except (ValueError, TypeError, KeyError):
        raise Failed(f'{TICKETS} holding {{"count": {expected}}}', f"{text.strip()[:200]!r}: not that form") from None
    if left != expected:
        raise Failed(f'{TICKETS} holding {{"count": {expected}}} '
                     f'({plural(tickets, "ticket")}, {plural(count, "buyer")})',
                     f"{TICKETS} missing after the run" if text is None else f"count {left}")


exits_with_status_0 = exercise.check_exit_status_0(
    "the program exits with status 0",
    hint="the main program must end normally, after its buyers")
