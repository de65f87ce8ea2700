"""Grading the queue exercise: producers and consumers around one Queue(maxsize=5).

Three runs. Two small ones (the values of the task's examples) judge the output: the
`consumed <n>` lines must be exactly the items produced. There each consumer prints at most
100 short lines, which Python writes in one piece when the process ends (or line by line with
flush=True): lines of different processes cannot get mixed.

A third, busy run (9 producers x 1000 items, 10 consumers) lasts long enough (0.3-0.8 s of
production here, more on a loaded machine) for the process table to show the consumers alive
together: in a correct program every consumer waits in get() from its start until everything
is produced. It is the only run in which processes are looked at, because a small run is over
in a few milliseconds, between two samples. Even there only the consumers are sure to be seen:
a producer that gets the queue to itself at the end can be done in 20 ms, so producers are not
counted. The busy run's output is not judged: thousands of lines printed without flush by
several processes reach the pipe in 8 KiB blocks that cut lines in two, and judging that would
grade the student by the luck of the scheduler.

The busy run has fewer producers than consumers (9 < 10), so that the producers can never pass
for "10 consumers alive at once": not alone (a program that calls run() instead of start() for
its consumers has only its 9 producers as processes), nor with one consumer at a time.

Every child is normally joined by its parent; PID 1 of the container never reaps, so a process
nobody waited for stays in the table, with its exit status, after the program has ended.
"""

import re

from lab.grading import Exercise, Failed, Trial, state_of

SMALL = (
    Trial("2 producers, 50 items, 3 consumers", env={"PRODUCERS": "2", "ITEMS": "50", "CONSUMERS": "3"}),
    Trial("3 producers, 30 items, 2 consumers", env={"PRODUCERS": "3", "ITEMS": "30", "CONSUMERS": "2"}),
)
BUSY = Trial("busy: 9 producers, 1000 items, 10 consumers", env={"PRODUCERS": "9", "ITEMS": "1000", "CONSUMERS": "10"})

# The reference takes 0.2-1.5 s a run (the busy one, on a loaded machine); a hang is killed at 10 s.
exercise = Exercise("queue", "Producers and consumers around one bounded Queue", trials=(*SMALL, BUSY),
                    time_limit=10)

CONSUMED = re.compile(r"consumed (.*)")


def setting(run, name):
    return int(run.trial.env[name])


def busy(run):
    return run.trial is BUSY or run.trial.name == BUSY.name


def expected_items(run):
    return {p * 1000 + k for p in range(setting(run, "PRODUCERS")) for k in range(setting(run, "ITEMS"))}


def describe(process):
    return f"PID {process.pid} ({state_of(process)})"


@exercise.check(points=2, hint="put one None per consumer (a consumer that got the only sentinel leaves; the others "
                               "wait in get() for ever), and start the consumers before joining the producers "
                               "(with maxsize=5 a producer blocks in put() until someone gets)")
def every_consumer_stops(run):
    """the program ends: once everything is produced, every consumer stops"""
    if run.timed_out:
        main = run.leftovers.pid(run.main)
        others = [p for p in run.leftovers if p.pid != run.main]
        running = [describe(p) for p in others if p.state != "Z"]
        zombies = [f"PID {p.pid} (a zombie: it ended, and waits for its join)" for p in others if p.state == "Z"]
        raise Failed("every process to end well within the time limit",
                     f"still running at the {run.time_limit:g} s time limit: the main process "
                     f"{describe(main) if main else f'PID {run.main}'}; of the {len(run.descendants())} processes it was "
                     f"seen to start, {len(running)} still alive: {', '.join(running) or 'none'}"
                     + (f"; {', '.join(zombies)}" if zombies else "")
                     + ". A blocked process waits for something that never comes: a consumer in get() for an "
                       "item or a sentinel, a producer in put() for room in the full queue, the main process in join()",
                     run.last_table.table())
    return run.exited_at


@exercise.check(points=3, after=every_consumer_stops,
                hint="each consumer must loop on get() until its own sentinel; never stop on Empty, empty() or a "
                     "count of your own: another consumer may still be busy, or a producer not yet done")
def consumes_every_item_once(run):
    """each item is consumed exactly once: the `consumed <n>` lines are exactly the items produced"""
    if busy(run):
        return  # its output is not judged (see the module's docstring)
    expected = expected_items(run)
    printed = [m.group(1).strip() for line in run.lines if (m := CONSUMED.fullmatch(line.strip()))]
    seen, duplicates, strange = set(), [], []
    for text in printed:
        if not re.fullmatch(r"-?\d+", text) or int(text) not in expected:
            strange.append(text)
        elif int(text) in seen:
            duplicates.append(int(text))
        else:
            seen.add(int(text))
    missing = sorted(expected - seen)
    if missing or duplicates or strange:
        problems = []
        if missing:
            problems.append(f"{len(missing)} items never consumed (e.g. {', '.join(map(str, missing[:5]))})")
        if duplicates:
            problems.append(f"{len(duplicates)} consumed twice or more (e.g. {', '.join(map(str, sorted(duplicates)[:5]))})")
        if strange:
            problems.append(f"{len(strange)} lines with something that was never produced (e.g. "
                            f"{', '.join(repr('consumed ' + s) for s in strange[:3])})")
        raise Failed(f"{len(expected)} lines `consumed <n>`, one for each p*1000 + k "
                     f"(p < {setting(run, 'PRODUCERS')}, k < {setting(run, 'ITEMS')})",
                     f"{len(printed)} such lines: " + "; ".join(problems))


@exercise.check(points=4, hint="start every consumer with start(), not run(), and before joining any of them (or any "
                               "producer): they must wait in get() side by side, not one after the other")
def consumers_run_at_the_same_time(run):
    """the consumers run at the same time: at least CONSUMERS child processes alive at once"""
    if not busy(run):
        return  # a small run may be over between two samples: processes are watched in the busy run
    wanted = setting(run, "CONSUMERS")
    family = run.descendants()
    found = run.first(lambda s: len(s.alive(family)) >= wanted)
    if found is None:
        count, most = run.busiest(family)
        raise Failed(f"at least {wanted} processes of the program alive at the same time (the {wanted} consumers, "
                     f"waiting in get() side by side; this run has only {setting(run, 'PRODUCERS')} producers)",
                     f"at most {count} alive at once ({len(family)} started in all)",
                     most.table())
    return found[0]


@exercise.check(points=1, after=every_consumer_stops,
                hint="join() every process you start; a process nobody waits for stays a zombie")
def nothing_left_behind(run):
    """every process ends and is waited for: nothing is left once the program has exited"""
    if len(run.leftovers):
        raise Failed("no process of the program left after it exited", "; ".join(run.leftover_phrases()),
                     run.last_table.table())


exits_with_status_0 = exercise.check_exit_status_0(
    "the main process exits with status 0",
    hint="the main program must end normally, after joining everyone")
