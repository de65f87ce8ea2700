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

from lab.grading import Exercise, Failed, T, join

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


exercise = Exercise("ps", T("Write a ps: PID PPID STATE NAME of every process, zombies included",
                             "写一个 ps：列出每个进程的 PID PPID STATE NAME，僵尸进程也包括在内"),
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
    """The output read as `PID PPID STATE NAME` lines: (PID -> Line, [problems, each a T]).

    Fields are separated by any run of spaces or tabs, and a line may start with some (as `ps`
    right-aligns its PIDs). A line whose first field is not a number is a header (or anything
    else) and is ignored. NAME is the rest of the line after the third field, so it may hold spaces.
    """
    rows, problems = {}, []
    for number, text in enumerate(run.lines, 1):
        fields = text.split(maxsplit=3)
        if not fields or not is_number(fields[0]):
            continue
        if len(fields) < 4:
            problems.append(T(f"line {number} has {len(fields)} fields instead of 4: {text!r}",
                              f"第 {number} 行有 {len(fields)} 个字段，而不是 4 个：{text!r}"))
            continue
        pid = int(fields[0])
        if pid in rows:
            problems.append(T(f"PID {pid} is listed twice (lines {rows[pid].number} and {number})",
                              f"PID {pid} 被列出了两次（第 {rows[pid].number} 行和第 {number} 行）"))
            continue
        rows[pid] = Line(number, text, fields[1], fields[2], fields[3].rstrip())
    return rows, problems


def window(run) -> list:
    """The tables the observer took while the submission ran (from its release to its end)."""
    end = run.exited_at if run.exited_at is not None else run.ended
    return [(t, s) for t, until, s in run.spans() if until > 0 and t <= end]


def own(run) -> set:
    """The submission's processes: they run, so their rows change, and they are not judged."""
    return {run.main, *run.descendants(), *run.python_helpers}


def stable(run) -> dict:
    """PID -> Process for every process that was in every table of the run, unchanged."""
    tables = [s for _, s in window(run)]
    mine = own(run)
    found = {}
    for p in tables[0] if tables else ():
        if p.pid in mine:
            continue
        rows = [s.pid(p.pid) for s in tables]
        if all(r is not None and (r.ppid, r.state, r.name) == (p.ppid, p.state, p.name) for r in rows):
            found[p.pid] = p
    for pid, planted in run.setup.items():
        p = found.get(pid)
        if p is None or (p.ppid, p.state, p.name) != (planted.ppid, planted.state, planted.name):
            raise Failed(T(f"the planted process {pid} ({planted.name}) unchanged while the program ran",
                           f"放置的进程 {pid}（{planted.name}）在程序运行期间保持不变"),
                         T("it changed: was the container short of memory?", "它变了：容器的内存不够了吗？"),
                         run.last_table.table())
    return found


def side_by_side(run) -> str:
    """The grader's table when the program started, each row next to the program's line for that
    PID ("-": no line). The program's own processes are left out: they are not judged. The
    column names are those of `ps`, the same in every language."""
    tables = window(run)
    snapshot = tables[0][1] if tables else run.last_table
    rows, _ = listing(run)
    mine = own(run)
    return tabulate([(p.pid, p.ppid, p.state, p.name, p.uid, rows[p.pid].text.strip()[:60] if p.pid in rows else "-")
                     for p in snapshot if p.pid not in mine],
                    headers=["PID", "PPID", "STATE", "NAME", "UID", "OUTPUT"])


def weird(run) -> int:
    return next(pid for pid, planted in run.setup.items() if planted.role == "weird")


def ordinary(run) -> dict:
    """The stable processes a submission is judged on field by field (the weird name has its own check)."""
    return {pid: p for pid, p in stable(run).items() if pid != weird(run)}


def mismatches(run, field: str, expected, processes: dict) -> list:
    """'PID n (name): PPID printed X, the kernel says Y' (a T) for each listed process whose field is wrong."""
    rows, _ = listing(run)
    wrong = []
    for pid, p in sorted(processes.items()):
        row = rows.get(pid)
        if row is not None and not expected(p, getattr(row, field)):
            printed, truth = getattr(row, field), str(getattr(p, field))
            wrong.append(T(f"PID {pid} ({p.name}): {field.upper()} printed {printed!r}, the kernel says {truth!r}",
                           f"PID {pid}（{p.name}）：{field.upper()} 打印为 {printed!r}，内核给出的是 {truth!r}"))
    return wrong


def at_most_6(phrases: list) -> T:
    """The first six phrases, and how many more there are."""
    shown = join(T("; ", "；"), phrases[:6])
    more = len(phrases) - 6
    return shown if more <= 0 else T(f"{shown.en} (and {more} more)", f"{shown.zh}（另有 {more} 个）")


def missing_ones(processes: list) -> T:
    listed = join(T(", ", "、"), processes)
    return T(f"missing: {listed.en}", f"缺少：{listed.zh}")


def fail_if(wrong: list, expected: T, run) -> None:
    if wrong:
        raise Failed(expected, at_most_6(wrong), side_by_side(run))


def same_state(p, printed: str) -> bool:
    return printed[:1] == p.state  # ps adds modifiers (Ss, S+): the first letter is the state


STATE_HINT = T("STATE is field 3 of /proc/PID/stat: the first field after the ')' that ends the name",
               "STATE 是 /proc/PID/stat 的第 3 个字段：结束进程名的那个 ')' 之后的第一个字段")


@exercise.check(points=1, title=T("prints one line `PID PPID STATE NAME` per process",
                                  "每个进程打印一行 `PID PPID STATE NAME`"),
                hint=T("print one line per process: PID, PPID, STATE and NAME separated by spaces",
                       "每个进程打印一行：PID、PPID、STATE 和 NAME，用空格分隔"))
def output_parses(run):
    rows, problems = listing(run)
    if not rows:
        raise Failed(T("lines `PID PPID STATE NAME` (a header line is allowed)",
                       "形如 `PID PPID STATE NAME` 的行（允许有一行表头）"),
                     T(f"no line starting with a PID among {len(run.lines)} lines",
                       f"{len(run.lines)} 行输出中，没有一行以 PID 开头"), None)
    if problems:
        raise Failed(T("each line with a PID to have 4 fields, and each PID listed once",
                       "每个以 PID 开头的行有 4 个字段，并且每个 PID 只列出一次"),
                     join(T("; ", "；"), problems[:5]))


@exercise.check(points=2, after=output_parses,
                title=T("lists every process (not a zombie) that was there the whole time, PID 1 and root's included",
                        "列出整个运行期间一直存在的每个（非僵尸）进程，包括 1 号进程和 root 的进程"),
                hint=T("list every numeric entry of /proc; skip a process only if it vanished while you read it "
                       "(FileNotFoundError, ProcessLookupError): root's processes are readable too",
                       "列出 /proc 中每个数字命名的条目；只有当进程在你读取时消失了（FileNotFoundError、"
                       "ProcessLookupError）才跳过它：root 的进程同样可读"))
def lists_every_live_process(run):
    rows, _ = listing(run)
    missing = [T(f"{pid} ({p.name}, {p.state})", f"{pid}（{p.name}，{p.state}）") for pid, p in sorted(stable(run).items())
               if p.state != "Z" and pid not in rows]
    if missing:
        raise Failed(T("a line for each of these processes", "这些进程每个都有一行"), missing_ones(missing),
                     side_by_side(run))


@exercise.check(points=2, after=lists_every_live_process,
                title=T("PPID is each process's parent (0 for PID 1, 1 for an orphan)",
                        "PPID 是每个进程的父进程（1 号进程为 0，孤儿进程为 1）"),
                hint=T("PPID is field 4 of /proc/PID/stat: the second field after the ')' that ends the name",
                       "PPID 是 /proc/PID/stat 的第 4 个字段：结束进程名的那个 ')' 之后的第二个字段"))
def parent_pids_right(run):
    fail_if(mismatches(run, "ppid", lambda p, printed: printed == str(p.ppid), ordinary(run)),
            T("the PPID the kernel reports for each process", "每个进程的 PPID 与内核给出的一致"), run)


@exercise.check(points=1, after=lists_every_live_process,
                title=T("sleeping processes show state S", "睡眠的进程显示状态 S"), hint=STATE_HINT)
def sleeping_state_S(run):
    sleeping = {pid: p for pid, p in ordinary(run).items() if p.state == "S"}
    fail_if(mismatches(run, "state", same_state, sleeping),
            T("state S for each sleeping process", "每个睡眠的进程显示状态 S"), run)


@exercise.check(points=1, after=lists_every_live_process,
                title=T("the stopped process shows state T", "停止的进程显示状态 T"), hint=STATE_HINT)
def stopped_state_T(run):
    stopped = {pid: p for pid, p in ordinary(run).items() if p.state == "T"}
    fail_if(mismatches(run, "state", same_state, stopped),
            T("state T for the stopped process", "停止的进程显示状态 T"), run)


@exercise.check(points=2, after=lists_every_live_process,
                title=T("zombies included: the zombie is listed, with state Z", "包括僵尸进程：僵尸进程被列出，且状态为 Z"),
                hint=T("a zombie has an empty /proc/PID/cmdline but a full /proc/PID/stat: do not skip it, "
                       "and print the state that stat gives (Z)",
                       "僵尸进程的 /proc/PID/cmdline 是空的，但 /proc/PID/stat 是完整的：不要跳过它，"
                       "并打印 stat 给出的状态（Z）"))
def zombies_included(run):
    rows, _ = listing(run)
    zombies = {pid: p for pid, p in ordinary(run).items() if p.state == "Z"}
    missing = [T(f"{pid} ({p.name})", f"{pid}（{p.name}）") for pid, p in sorted(zombies.items()) if pid not in rows]
    if missing:
        raise Failed(T("a line for each zombie", "每个僵尸进程都有一行"), missing_ones(missing), side_by_side(run))
    fail_if(mismatches(run, "state", same_state, zombies), T("state Z for each zombie", "每个僵尸进程显示状态 Z"), run)


@exercise.check(points=1, after=lists_every_live_process,
                title=T("NAME is the kernel's name of each process (comm), zombies included",
                        "NAME 是每个进程在内核中的名字（comm），僵尸进程也一样"),
                hint=T("NAME is the kernel's name (comm): /proc/PID/comm, or the text between the parentheses "
                       "of /proc/PID/stat; not the command line",
                       "NAME 是内核中的进程名（comm）：/proc/PID/comm 的内容，或 /proc/PID/stat 中括号里的"
                       "文字；不是命令行"))
def names_right(run):
    fail_if(mismatches(run, "name", lambda p, printed: printed == p.name, ordinary(run)),
            T("the kernel's name (comm) of each process", "每个进程在内核中的名字（comm）"), run)


@exercise.check(points=2, after=lists_every_live_process,
                title=T("the process named `weird) name` is listed with the right PPID, STATE and NAME",
                        "名为 `weird) name` 的进程以正确的 PPID、STATE 和 NAME 列出"),
                hint=T("in /proc/PID/stat the name may hold spaces and ')': it ends at the LAST ')'; "
                       "split only what follows it",
                       "在 /proc/PID/stat 中，进程名可能包含空格和 ')'：它在最后一个 ')' 处结束；"
                       "只切分它后面的部分"))
def name_with_space_and_paren(run):
    pid = weird(run)
    p = stable(run)[pid]
    rows, _ = listing(run)
    row = rows.get(pid)
    if row is None:
        raise Failed(T(f"a line for PID {pid} ({p.name!r})", f"PID {pid}（{p.name!r}）有一行"),
                     T("none", "没有这一行"), side_by_side(run))
    wrong = [T(f"{field} printed {printed!r}, the kernel says {truth!r}",
               f"{field} 打印为 {printed!r}，内核给出的是 {truth!r}")
             for field, printed, truth, right in (
                 ("PPID", row.ppid, str(p.ppid), row.ppid == str(p.ppid)),
                 ("STATE", row.state, p.state, same_state(p, row.state)),
                 ("NAME", row.name, p.name, row.name == p.name)) if not right]
    if wrong:
        found = join(T("; ", "；"), wrong)
        raise Failed(T(f"the line `{pid} {p.ppid} {p.state} {p.name}`", f"一行 `{pid} {p.ppid} {p.state} {p.name}`"),
                     T(f"line {row.number}: {row.text!r}: {found.en}", f"第 {row.number} 行 {row.text!r}：{found.zh}"),
                     side_by_side(run))


TOOLS = {"ps", "pgrep", "pidof", "pstree", "top"}  # programs that would do the exercise's work


@exercise.check(points=1, after=output_parses,
                title=T("reads /proc itself: the output shows no `ps` (or pgrep, top...) started by the program",
                        "自己读取 /proc：输出中没有程序启动的 `ps`（或 pgrep、top 等）"),
                hint=T("read /proc yourself (os.listdir, open): running ps is not writing one",
                       "自己读取 /proc（os.listdir、open）：运行 ps 不等于写了一个 ps"))
def reads_proc_itself(run):
    rows, _ = listing(run)
    # ps always lists itself: a child of the program (or of a shell it started) named ps
    mine = own(run)
    grew = True
    while grew:
        grew = False
        for pid, row in rows.items():
            if pid not in mine and is_number(row.ppid) and int(row.ppid) in mine:
                mine.add(pid)
                grew = True
    tools = [row for pid, row in sorted(rows.items())
             if pid in mine and row.name and os.path.basename(row.name.split()[0]) in TOOLS]
    if tools:
        lines = join(T("; ", "；"), (T(f"line {r.number}: {r.text.strip()!r}", f"第 {r.number} 行：{r.text.strip()!r}")
                                     for r in tools[:3]))
        raise Failed(T("a listing read from /proc by the program itself", "程序自己从 /proc 读出的列表"),
                     T(f"its output lists a program it started: {lines.en}", f"它的输出列出了它自己启动的程序：{lines.zh}"))


exits_with_status_0 = exercise.check_exit_status_0(
    hint=T("the program must end normally: skip processes that vanish while you read them",
           "程序必须正常结束：跳过在你读取时消失的进程"))
