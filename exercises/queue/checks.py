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

Every start method passes: the program's processes are its descendants, Python's helpers
(resource tracker, fork server) left out by the Run. Under spawn each of the busy run's 19
processes starts a Python of its own: that run then takes about 3 s here, well within 10 s.
"""

import re

from lab.grading import Exercise, Failed, T, Trial, join, state_of

SMALL = (
    Trial("2 producers, 50 items, 3 consumers", env={"PRODUCERS": "2", "ITEMS": "50", "CONSUMERS": "3"}),
    Trial("3 producers, 30 items, 2 consumers", env={"PRODUCERS": "3", "ITEMS": "30", "CONSUMERS": "2"}),
)
BUSY = Trial("busy: 9 producers, 1000 items, 10 consumers", env={"PRODUCERS": "9", "ITEMS": "1000", "CONSUMERS": "10"})

# The reference takes 0.2-1.5 s a run (the busy one, on a loaded machine); a hang is killed at 10 s.
exercise = Exercise("queue", T("Producers and consumers around one bounded Queue", "围绕一个有界队列的生产者与消费者"),
                    trials=(*SMALL, BUSY), time_limit=10)

CONSUMED = re.compile(r"consumed (.*)")


def setting(run, name):
    return int(run.trial.env[name])


def busy(run):
    return run.trial is BUSY or run.trial.name == BUSY.name


def expected_items(run):
    return {p * 1000 + k for p in range(setting(run, "PRODUCERS")) for k in range(setting(run, "ITEMS"))}


def describe(process) -> T:
    return T(f"PID {process.pid} ({state_of(process).en})", f"PID {process.pid}（{state_of(process).zh}）")


def examples(values) -> str:
    return ", ".join(map(str, values[:5]))


@exercise.check(points=2, title=T("the program ends: once everything is produced, every consumer stops",
                                  "程序会结束：所有数据项生产完毕后，每个消费者都停止"),
                hint=T("put one None per consumer (a consumer that got the only sentinel leaves; the others "
                       "wait in get() for ever), and start the consumers before joining the producers "
                       "(with maxsize=5 a producer blocks in put() until someone gets)",
                       "每个消费者放一个 None（只放一个哨兵时，只有拿到它的那个消费者会停止，其余的永远在 get() 中等待）；并且在 "
                       "join 生产者之前启动消费者（maxsize=5 时，生产者会阻塞在 put() 中，直到有人取走数据项）"))
def every_consumer_stops(run):
    if not run.timed_out:
        return run.exited_at
    main = run.leftovers.pid(run.main)
    the_main = describe(main) if main else T(f"PID {run.main}", f"PID {run.main}")
    others = [p for p in run.leftovers if p.pid != run.main]
    alive = [describe(p) for p in others if p.state != "Z"]
    running = join(T(", ", "、"), alive) if alive else T("none", "无")
    waiting = join(T("", ""), (T(f"; PID {p.pid}, a zombie: it ended, and waits for its join",
                                 f"；PID {p.pid} 是僵尸进程：它已经结束，等着被 join")
                               for p in others if p.state == "Z"))
    count = len(alive)
    raise Failed(T("every process to end well within the time limit", "每个进程都远在时间上限之前结束"),
                 T(f"still running at the {run.time_limit:g} s time limit: the main process {the_main.en}; "
                   f"of the {len(run.descendants())} processes it was seen to start, {count} still alive: "
                   f"{running.en}{waiting.en}. A blocked process waits for something that never comes: a consumer "
                   "in get() for an item or a sentinel, a producer in put() for room in the full queue, the main "
                   "process in join()",
                   f"到 {run.time_limit:g} 秒的时间上限时仍在运行：主进程 {the_main.zh}；在看到它启动的 "
                   f"{len(run.descendants())} 个进程中，{count} 个仍然活着：{running.zh}{waiting.zh}。阻塞的进程在"
                   "等待永远不会来的东西：消费者在 get() 中等数据项或哨兵，生产者在 put() 中等满了的队列腾出位置，"
                   "主进程在 join() 中等待"),
                 run.last_table.table())


@exercise.check(points=3, after=every_consumer_stops,
                title=T("each item is consumed exactly once: the `consumed <n>` lines are exactly the items produced",
                        "每个数据项恰好被消费一次：`consumed <n>` 行恰好是生产出的全部数据项"),
                hint=T("each consumer must loop on get() until its own sentinel; never stop on Empty, empty() or a "
                       "count of your own: another consumer may still be busy, or a producer not yet done",
                       "每个消费者必须循环调用 get()，直到拿到属于自己的哨兵；不要因为 Empty、empty() 或自己数的"
                       "数目而停止：别的消费者可能还在忙，生产者也可能还没生产完"))
def consumes_every_item_once(run):
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
            problems.append(T(f"{len(missing)} items never consumed (e.g. {examples(missing)})",
                              f"{len(missing)} 个数据项从未被消费（例如 {examples(missing)}）"))
        if duplicates:
            problems.append(T(f"{len(duplicates)} consumed twice or more (e.g. {examples(sorted(duplicates))})",
                              f"{len(duplicates)} 个被消费了两次或更多（例如 {examples(sorted(duplicates))}）"))
        if strange:
            shown = ", ".join(repr("consumed " + s) for s in strange[:3])
            problems.append(T(f"{len(strange)} lines with something that was never produced (e.g. {shown})",
                              f"{len(strange)} 行里是从未生产过的东西（例如 {shown}）"))
        found = join(T("; ", "；"), problems)
        raise Failed(T(f"{len(expected)} lines `consumed <n>`, one for each p*1000 + k "
                       f"(p < {setting(run, 'PRODUCERS')}, k < {setting(run, 'ITEMS')})",
                       f"{len(expected)} 行 `consumed <n>`，每个 p*1000 + k 一行"
                       f"（p < {setting(run, 'PRODUCERS')}，k < {setting(run, 'ITEMS')}）"),
                     T(f"{len(printed)} such lines: {found.en}", f"{len(printed)} 行这样的输出：{found.zh}"))


@exercise.check(points=4, title=T("the consumers run at the same time: "
                                  "at least `CONSUMERS` child processes alive at once",
                                  "消费者同时运行：同一时刻至少有 `CONSUMERS` 个子进程存活"),
                hint=T("start every consumer with start(), not run(), and before joining any of them (or any "
                       "producer): they must wait in get() side by side, not one after the other",
                       "用 start() 而不是 run() 启动每个消费者，并且在 join 任何一个消费者（或生产者）之前全部启动："
                       "它们必须并排在 get() 中等待，而不是一个接一个地运行"))
def consumers_run_at_the_same_time(run):
    if not busy(run):
        return  # a small run may be over between two samples: processes are watched in the busy run
    wanted = setting(run, "CONSUMERS")
    family = run.descendants()
    found = run.first(lambda s: len(s.alive(family)) >= wanted)
    if found is None:
        count, most = run.busiest(family)
        producers = setting(run, "PRODUCERS")
        raise Failed(T(f"at least {wanted} processes of the program alive at the same time (the {wanted} consumers, "
                       f"waiting in get() side by side; this run has only {producers} producers)",
                       f"程序至少有 {wanted} 个进程同时存活（{wanted} 个消费者并排在 get() 中等待；"
                       f"这次运行只有 {producers} 个生产者）"),
                     T(f"at most {count} alive at once ({len(family)} started in all)",
                       f"同一时刻最多 {count} 个存活（总共启动了 {len(family)} 个）"),
                     most.table())
    return found[0]


@exercise.check(points=1, after=every_consumer_stops,
                title=T("every process ends and is waited for: nothing is left once the program has exited",
                        "每个进程都结束并被等待：程序退出后没有任何进程残留"),
                hint=T("join() every process you start; a process nobody waits for stays a zombie",
                       "join() 你启动的每一个进程；没有人等待的进程会一直是僵尸进程"))
def nothing_left_behind(run):
    if len(run.leftovers):
        raise Failed(T("no process of the program left after it exited", "程序退出后没有留下它的任何进程"),
                     run.leftovers_described(), run.last_table.table())


exits_with_status_0 = exercise.check_exit_status_0(
    title=T("the main process exits with status 0", "主进程以退出状态 0 退出"),
    hint=T("the main program must end normally, after joining everyone", "主程序必须在 join 所有进程之后正常结束"))
