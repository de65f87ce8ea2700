"""Grading the tickets exercise: BUYERS buyer processes at once, and not one ticket oversold.

Three runs with different tickets, buyers and delays. Every buyer waits DELAY seconds, so each
buyer process lives at least that long (well above the 10 ms sampling): counting them does not
depend on catching a moment. With a Lock the buyers are all started together and wait on the
lock, so all of them are alive at once for about DELAY seconds; a program that joins each buyer
before starting the next never has two alive. Without a lock, DELAY is far longer than the few
milliseconds between two starts, so every buyer reads the count before anyone writes it back:
the oversell is certain, not a matter of luck. The sales are read from the buyers' lines and
from tickets.json as the program left it.

The buyers are the main process's descendants, Python's helpers (resource tracker, fork server)
left out by the Run: the same count under fork, spawn and forkserver.
"""

import json
import re

from lab.grading import Exercise, Failed, T, Trial

TICKETS = "tickets.json"


def trial(name, tickets, buyers, delay):
    return Trial(name=name, env={"BUYERS": str(buyers), "DELAY": str(delay)},
                 files={TICKETS: json.dumps({"count": tickets})})


exercise = Exercise(
    "tickets", T("BUYERS processes buy tickets at once; a Lock makes sure none is oversold",
                 "BUYERS 个进程同时抢票；一把 Lock 保证不超卖"),
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


def plural(n, word):
    return f"{n} {word}" + ("" if n == 1 else "s")


def outcomes(run):
    """[(buyer index, 'got a ticket' | 'sold out')] for each line of that form, in output order."""
    return [(int(m[1]), m[2]) for line in run.lines if (m := LINE.fullmatch(line.strip()))]


@exercise.check(points=2, title=T("the program starts BUYERS buyer processes", "程序启动了 BUYERS 个买票进程"),
                hint=T("start one multiprocessing.Process per buyer (threads are not processes), "
                       "as many as the BUYERS environment variable says",
                       "每个买票者启动一个 multiprocessing.Process（线程不是进程），数量由环境变量 BUYERS 给出"))
def buyers_are_processes(run):
    _, count, _ = settings(run)
    seen = run.descendants()
    if len(seen) < count:
        raise Failed(T(f"at least {count} processes started by the main process (PID {run.main})",
                       f"主进程（PID {run.main}）至少启动了 {count} 个进程"),
                     T(f"{len(seen)} seen: {sorted(seen) or 'none'}", f"看到 {len(seen)} 个：{sorted(seen) or '无'}"),
                     run.busiest(seen)[1].table())


@exercise.check(points=2, after=buyers_are_processes,
                title=T("all BUYERS buyers are alive at the same time", "全部 BUYERS 个买票进程同时活着"),
                hint=T("start every buyer before you join any: join() right after start() runs the buyers one "
                       "after the other; a Lock makes only the critical section take turns",
                       "先启动所有买票进程，再 join 任何一个：每次 start() 之后立刻 join() 会让买票进程一个接一个"
                       "地运行；一把 Lock 只让临界区轮流进入"))
def buyers_alive_together(run):
    _, count, _ = settings(run)
    pids = set(run.descendants())
    most, table = run.busiest(pids)
    if most < count:
        raise Failed(T(f"all {count} buyers alive (not zombies) in one process table",
                       f"全部 {count} 个买票进程在同一张进程表里活着（不是僵尸进程）"),
                     T(f"at most {most} alive at once", f"同一时刻最多 {most} 个活着"), table.table())
    return run.first(lambda s: len(s.alive(pids)) >= count)[0]


@exercise.check(points=2, title=T("each buyer 0 to BUYERS-1 prints exactly one line: "
                                  "`buyer <i> got a ticket` or `buyer <i> sold out`",
                                  "0 到 BUYERS-1 号买票进程各打印恰好一行："
                                  "`buyer <i> got a ticket` 或 `buyer <i> sold out`"),
                hint=T("each buyer i (0 to BUYERS-1) prints exactly one line: "
                       "buyer <i> got a ticket, or buyer <i> sold out",
                       "每个买票进程 i（0 到 BUYERS-1）恰好打印一行：buyer <i> got a ticket 或 buyer <i> sold out"))
def every_buyer_reports(run):
    _, count, _ = settings(run)
    indices = sorted(i for i, _ in outcomes(run))
    if indices != list(range(count)):
        raise Failed(T(f"one line for each buyer 0 to {count - 1}, none twice",
                       f"0 到 {count - 1} 号买票进程各一行，没有重复"),
                     T(f"lines for buyers {indices or 'none'} ({plural(len(run.lines), 'line')} of output)",
                       f"有输出行的买票进程：{indices or '无'}（共 {len(run.lines)} 行输出）"))


@exercise.check(points=3, after=every_buyer_reports,
                title=T("exactly min(N, BUYERS) buyers get a ticket: none is oversold",
                        "恰好 min(N, BUYERS) 个买票进程买到票：没有超卖"),
                hint=T("hold one multiprocessing.Lock from reading the count until it is written back: "
                       "a lock around the write alone still lets every buyer read the same count",
                       "从读出余票数到写回，一直持有同一把 multiprocessing.Lock：只给写回加锁，每个买票进程"
                       "仍然会读到同一个余票数"))
def none_oversold(run):
    tickets, count, _ = settings(run)
    got = sorted(i for i, outcome in outcomes(run) if outcome == "got a ticket")
    wanted = min(tickets, count)
    if len(got) != wanted:
        oversold = len(got) > tickets
        raise Failed(T(f"{plural(wanted, 'buyer')} to get a ticket "
                       f"({plural(tickets, 'ticket')}, {plural(count, 'buyer')})",
                       f"{wanted} 个买票进程买到票（{tickets} 张票，{count} 个买票进程）"),
                     T(f"{len(got)} got one: buyers {got or 'none'}" + (" (oversold)" if oversold else ""),
                       f"{len(got)} 个买到了：买票进程 {got or '无'}" + ("（超卖）" if oversold else "")))


@exercise.check(points=2, title=T("`tickets.json` ends with count N - min(N, BUYERS)",
                                  "运行结束时 `tickets.json` 中的余票数为 N - min(N, BUYERS)"),
                hint=T("each sale writes the count it read minus one; with the read and the write "
                       "under one Lock, no sale is lost",
                       "每次卖票写回读到的余票数减一；读和写都在同一把 Lock 之下，就不会丢失任何一次卖票"))
def file_says_what_is_left(run):
    tickets, count, _ = settings(run)
    expected = tickets - min(tickets, count)
    wanted = T(f'{TICKETS} holding {{"count": {expected}}} ({plural(tickets, "ticket")}, {plural(count, "buyer")})',
               f'{TICKETS} 的内容为 {{"count": {expected}}}（{tickets} 张票，{count} 个买票进程）')
    text = run.files.get(TICKETS)
    if text is None:
        raise Failed(wanted, T(f"{TICKETS} missing after the run", f"运行结束后 {TICKETS} 不存在"))
    try:
        left = json.loads(text)["count"]
    except (ValueError, TypeError, KeyError):
        shown = repr(text.strip()[:200])
        raise Failed(wanted, T(f"{shown}: not that form", f"{shown}：不是这种格式")) from None
    if left != expected:
        raise Failed(wanted, T(f"count {left}", f"余票数 {left}"))


exits_with_status_0 = exercise.check_exit_status_0(
    hint=T("the main program must end normally, after its buyers", "主程序必须在买票进程之后正常结束"))
