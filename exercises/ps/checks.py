"""Grading the ps exercise: one line `PID PPID STATE NAME` per process of the container, zombies included.

Before the submission starts, the grader plants processes as root (exercises/ps/plant.py): a
sleeping one, a stopped one, a zombie, an orphan adopted by PID 1, one whose name holds a space
and a ')'; then it waits until the observer sees all of them in those states. None of them
changes afterwards, and the student's uid cannot signal them. So "the grader's snapshot at the
same moment" is every process that stayed unchanged in every table the observer took while the
submission ran: whenever the submission read /proc, those rows were there, exactly so.

Lines for processes that are not in those tables are tolerated: the submission itself and its
children (their state changes as they run), processes that came and went, and the observer,
which the grader's tables leave out but a ps in the container sees.
"""

import os
from pathlib import Path
from typing import NamedTuple

from tabulate import tabulate

from lab.grading import Exercise, Failed

HERE = Path(__file__).resolve().parent
SETTLE = 15  # seconds for the planted processes to reach their states (about 0.1 s normally)


class Planted(NamedTuple):
    role: str  # what the process is there for: sleeper, stopped, zombie, weird, ...
    ppid: int
    state: str
    name: str


# role -> (state, name); the parent of each is `plant`, except the orphan's (PID 1)
ROLES = {
    "plant": ("S", "plant"),
    "sleeper": ("S", "sleeper"),
    "stopped": ("T", "stopped"),
    "weird": ("S", "weird) name"),
    "zombie": ("Z", "zombie"),
    "orphan": ("S", "orphan"),
}


def plant(live) -> dict:
    """Start plant.py as root and wait until every planted process is in its state: PID -> Planted."""
    path = live.sandbox.install("plant.py", (HERE / "plant.py").read_bytes())
    live.sandbox.start(["python3", path], student=False)

    def planted(snapshot):
        top = next((p for p in snapshot if p.cmdline == ("python3", path)
                    and p.ppid == live.sandbox.started_ppid), None)
        if top is None or top.name != "plant":
            return None
        found = {top.pid: Planted("plant", top.ppid, top.state, top.name)}
        for p in snapshot:
            role = next((r for r, (_, name) in ROLES.items() if name == p.name and r != "plant"), None)
            parent = live.sandbox.reaper if role == "orphan" else top.pid
            if role is not None and p.ppid == parent:
                found[p.pid] = Planted(role, p.ppid, p.state, p.name)
        wanted = {role: state for role, (state, _) in ROLES.items()}
        seen = {planted.role: planted.state for planted in found.values()}
        # every role once, in its state, and the orphan's first parent already gone
        if seen == wanted and len(found) == len(ROLES) and len(snapshot.children(top.pid)) == 4:
            return found
        return None

    return live.observer.wait_for(planted, SETTLE, "the planted processes in their states (S, T, Z)")


exercise = Exercise("ps", "Write a ps: PID PPID STATE NAME of every process, zombies included",
                    time_limit=5, setup=plant, sees_everything=True)


class Line(NamedTuple):
    number: int  # line number in the output, from 1
    text: str
    ppid: str
    state: str
    name: str


def is_number(text: str) -> bool:
    return text.isascii() and text.isdigit()


def listing(run) -> tuple:
    """The output read as `PID PPID STATE NAME` lines: (PID -> Line, [problems]).

    A line whose first field is not a number is a header (or anything else) and is ignored. NAME
    is the rest of the line after the third field, so it may hold spaces.
    """
    rows, problems = {}, []
    for number, text in enumerate(run.lines, 1):
        fields = text.split(maxsplit=3)
        if not fields or not is_number(fields[0]):
            continue
        if len(fields) < 4:
            problems.append(f"line {number} has {len(fields)} fields instead of 4: {text!r}")
            continue
        pid = int(fields[0])
        if pid in rows:
            problems.append(f"PID {pid} is listed twice (lines {rows[pid].number} and {number})")
            continue
        rows[pid] = Line(number, text, fields[1], fields[2], fields[3].rstrip())
    return rows, problems


def window(run) -> list:
    """The tables the observer took while the submission ran (from its release to its end)."""
    end = run.exited_at if run.exited_at is not None else run.ended
    return [(t, s) for t, until, s in run.spans() if until > 0 and t <= end]


def stable(run) -> dict:
    """PID -> Process for every process that was in every table of the run, unchanged.

    The submission's own processes are left out: they run, so their state changes.
    """
    tables = [s for _, s in window(run)]
    own = {run.main, *run.descendants()}
    found = {}
    for p in tables[0] if tables else ():
        if p.pid in own:
            continue
        rows = [s.pid(p.pid) for s in tables]
        if all(r is not None and (r.ppid, r.state, r.name) == (p.ppid, p.state, p.name) for r in rows):
            found[p.pid] = p
    for pid, planted in run.setup.items():
        p = found.get(pid)
        if p is None or (p.ppid, p.state, p.name) != (planted.ppid, planted.state, planted.name):
            raise Failed(f"the planted process {pid} ({planted.name}) unchanged while the program ran",
                         "it changed: was the container short of memory?", run.last_table.table())
    return found


def side_by_side(run) -> str:
    """The grader's table when the program started, each row next to the program's line for that PID."""
    tables = window(run)
    snapshot = tables[0][1] if tables else run.last_table
    rows, _ = listing(run)
    own = {run.main, *run.descendants()}
    return tabulate([(p.pid, p.ppid, p.state, p.name, p.uid,
                      "(yours: not judged)" if p.pid in own else rows[p.pid].text.strip()[:60] if p.pid in rows else "(missing)")
                     for p in snapshot],
                    headers=["PID", "PPID", "STATE", "NAME", "UID", "YOUR LINE"])


def weird(run) -> int:
    return next(pid for pid, planted in run.setup.items() if planted.role == "weird")


def ordinary(run) -> dict:
    """The stable processes a submission is judged on field by field (the weird name has its own check)."""
    return {pid: p for pid, p in stable(run).items() if pid != weird(run)}


def mismatches(run, field: str, expected, processes: dict) -> list:
    """'PID n (name): printed X, the kernel says Y' for each listed process whose field is wrong."""
    rows, _ = listing(run)
    wrong = []
    for pid, p in sorted(processes.items()):
        row = rows.get(pid)
        if row is not None and not expected(p, getattr(row, field)):
            wrong.append(f"PID {pid} ({p.name}): {field.upper()} printed {getattr(row, field)!r}, "
                         f"the kernel says {str(getattr(p, field))!r}")
    return wrong


def fail_if(wrong: list, expected: str, run) -> None:
    if wrong:
        raise Failed(expected, "; ".join(wrong[:6]) + (f" (and {len(wrong) - 6} more)" if len(wrong) > 6 else ""),
                     side_by_side(run))


def same_state(p, printed: str) -> bool:
    return printed[:1] == p.state  # ps adds modifiers (Ss, S+): the first letter is the state


@exercise.check(points=1, hint="print one line per process: PID, PPID, STATE and NAME separated by spaces")
def output_parses(run):
    """prints one line `PID PPID STATE NAME` per process"""
    rows, problems = listing(run)
    if not rows:
        raise Failed("lines `PID PPID STATE NAME` (a header line is allowed)",
                     f"no line starting with a PID among {len(run.lines)} lines", None)
    if problems:
        raise Failed("each line with a PID to have 4 fields, and each PID listed once", "; ".join(problems[:5]))


@exercise.check(points=2, after=output_parses,
                hint="list every numeric entry of /proc; skip a process only if it vanished while you read it "
                     "(FileNotFoundError, ProcessLookupError): root's processes are readable too")
def lists_every_live_process(run):
    """lists every process (not a zombie) that was there the whole time, PID 1 and root's included"""
    rows, _ = listing(run)
    missing = [f"{pid} ({p.name}, {p.state})" for pid, p in sorted(stable(run).items())
               if p.state != "Z" and pid not in rows]
    if missing:
        raise Failed("a line for each of these processes", "missing: " + ", ".join(missing),
                     side_by_side(run))


@exercise.check(points=2, after=lists_every_live_process,
                hint="PPID is field 4 of /proc/PID/stat: the second field after the ')' that ends the name")
def parent_pids_right(run):
    """PPID is each process's parent (0 for PID 1, 1 for an orphan)"""
    fail_if(mismatches(run, "ppid", lambda p, printed: printed == str(p.ppid), ordinary(run)),
            "the PPID the kernel reports for each process", run)


@exercise.check(points=1, after=lists_every_live_process,
                hint="STATE is field 3 of /proc/PID/stat: the first field after the ')' that ends the name")
def sleeping_state_S(run):
    """sleeping processes show state S"""
    sleeping = {pid: p for pid, p in ordinary(run).items() if p.state == "S"}
    fail_if(mismatches(run, "state", same_state, sleeping), "state S for each sleeping process", run)


@exercise.check(points=1, after=lists_every_live_process,
                hint="STATE is field 3 of /proc/PID/stat: the first field after the ')' that ends the name")
def stopped_state_T(run):
    """the stopped process shows state T"""
    stopped = {pid: p for pid, p in ordinary(run).items() if p.state == "T"}
    fail_if(mismatches(run, "state", same_state, stopped), "state T for the stopped process", run)


@exercise.check(points=2, after=lists_every_live_process,
                hint="a zombie has an empty /proc/PID/cmdline but a full /proc/PID/stat: do not skip it, "
                     "and print the state that stat gives (Z)")
def zombies_included(run):
    """zombies included: the zombie is listed, with state Z"""
    rows, _ = listing(run)
    zombies = {pid: p for pid, p in ordinary(run).items() if p.state == "Z"}
    missing = [f"{pid} ({p.name})" for pid, p in sorted(zombies.items()) if pid not in rows]
    if missing:
        raise Failed("a line for each zombie", "missing: " + ", ".join(missing), side_by_side(run))
    fail_if(mismatches(run, "state", same_state, zombies), "state Z for each zombie", run)


@exercise.check(points=1, after=lists_every_live_process,
                hint="NAME is the kernel's name (comm): /proc/PID/comm, or the text between the parentheses "
                     "of /proc/PID/stat; not the command line")
def names_right(run):
    """NAME is the kernel's name of each process (comm), zombies included"""
    fail_if(mismatches(run, "name", lambda p, printed: printed == p.name, ordinary(run)),
            "the kernel's name (comm) of each process", run)


@exercise.check(points=2, after=lists_every_live_process,
                hint="in /proc/PID/stat the name may hold spaces and ')': it ends at the LAST ')'; "
                     "split only what follows it")
def name_with_space_and_paren(run):
    """the process named `weird) name` is listed with the right PPID, STATE and NAME"""
    pid = weird(run)
    p = stable(run)[pid]
    rows, _ = listing(run)
    row = rows.get(pid)
    if row is None:
        raise Failed(f"a line for PID {pid} ({p.name!r})", "none", side_by_side(run))
    wrong = [f"{field} printed {printed!r}, the kernel says {truth!r}"
             for field, printed, truth, right in (
                 ("PPID", row.ppid, str(p.ppid), row.ppid == str(p.ppid)),
                 ("STATE", row.state, p.state, same_state(p, row.state)),
                 ("NAME", row.name, p.name, row.name == p.name)) if not right]
    if wrong:
        raise Failed(f"the line `{pid} {p.ppid} {p.state} {p.name}`",
                     f"line {row.number}: {row.text!r}: " + "; ".join(wrong), side_by_side(run))


TOOLS = {"ps", "pgrep", "pidof", "pstree", "top"}  # programs that would do the exercise's work


@exercise.check(points=1, after=output_parses,
                hint="read /proc yourself (os.listdir, open): running ps is not writing one")
def reads_proc_itself(run):
    """reads /proc itself: the output shows no `ps` (or pgrep, top...) started by the program"""
    rows, _ = listing(run)
    # ps always lists itself: a child of the program (or of a shell it started) named ps
    own = {run.main, *run.descendants()}
    grew = True
    while grew:
        grew = False
        for pid, row in rows.items():
            if pid not in own and is_number(row.ppid) and int(row.ppid) in own:
                own.add(pid)
                grew = True
    tools = [row for pid, row in sorted(rows.items())
             if pid in own and row.name and os.path.basename(row.name.split()[0]) in TOOLS]
    if tools:
        raise Failed("a listing read from /proc by the program itself",
                     "its output lists a program it started: " + "; ".join(f"line {r.number}: {r.text.strip()!r}"
                                                                          for r in tools[:3]))


exits_with_status_0 = exercise.check_exit_status_0(
    "the program exits with status 0",
    hint="the program must end normally: skip processes that vanish while you read them")
