"""Grading the orphan exercise: the main process leaves, its child is adopted by PID 1 and says so.

The main process is started with ``docker exec`` (its parent is outside the container: PPID 0).
PID 1 of the grading container is a ``sleep`` that never reaps (see `Exercise.reaper`): an orphan
is reparented to it and, once it exits, stays there as a zombie with its exit status. That final
zombie is the evidence used here: it shows that the main process never waited for its child,
that the child was adopted by PID 1, and when and how the child ended — without depending on
catching a moment that lasts a few milliseconds. Nor does any check need to see the main
process together with its child: a main process that ends right after its fork may be gone
before the first table that shows the child, which is then known under PID 1.
"""

from lab.grading import Exercise, Failed, T, Trial, join

MAIN_WITHIN = 1.0  # the main process exits within 1 s
CHILD_WITHIN = 5.0  # the child exits within 5 s of the main process's exit
SAMPLING_SLACK = 0.1  # the observer samples every 10 ms, on a machine that may be loaded
VISIBLE = 0.2  # a state that lasts less than this is not one to grade on

# Three runs: a child that guesses (sleeps a little, then reads its PPID) instead of watching
# for the change gets three chances to show it; the whole costs about 4 s for a right solution.
exercise = Exercise(
    "orphan", T("Leave a child behind: it is adopted by PID 1 and says so",
                "留下一个子进程：它被 1 号进程收养，并说出这一点"),
    trials=(Trial("first"), Trial("second"), Trial("third")),
    time_limit=5, linger=CHILD_WITHIN + 0.5,
)


def offspring_in(run, snapshot) -> list:
    """The program's processes other than the main one, in one table.

    The main process's children (a fork server's count as its own), and the student's processes
    under the reaper: in this sandbox only the program's own processes run as the student there
    (``docker exec`` starts the main process with PPID 0; in place the main process, under the
    same subreaper, is left out). Python's helpers are left out of both.
    """
    adopted = [p for p in run.student_processes(snapshot) if p.ppid == run.reaper and p.pid != run.main]
    return run.children_in(snapshot) + adopted


def offspring(run) -> dict:
    """The program's processes other than the main one, ever seen: PID -> first sighting."""
    found = {}
    for _, snapshot in run.frames:
        for p in offspring_in(run, snapshot):
            found.setdefault(p.pid, p)
    return found


def the_orphan(run):
    """The first of the program's processes left under the reaper at the end (alive or a zombie), or None."""
    left = [p for p in offspring_in(run, run.last_table) if p.ppid == run.reaper]
    return min(left, key=lambda p: p.pid) if left else None


def where_it_ended(run, pid) -> T:
    """Why `pid`, one of the program's processes, is not under the reaper at the end."""
    p = run.last_table.pid(pid)
    if p is None:
        return T(f"PID {pid} was reaped by its parent", f"PID {pid} 已被它的父进程回收")
    if p.ppid in run.fork_servers:
        return T(f"PID {pid} is still a child of the fork server (PID {p.ppid}), which runs as long as any of "
                 f"its children does: under forkserver the child is never an orphan",
                 f"PID {pid} 仍是 fork server（PID {p.ppid}）的子进程，而只要它还有子进程在运行，fork server "
                 f"就不会退出：在 forkserver 启动方式下，子进程永远成不了孤儿")
    return T(f"PID {pid} is still a child of PID {p.ppid}", f"PID {pid} 仍是 PID {p.ppid} 的子进程")


def died_before_its_parent(run, pid) -> float:
    """For how long `pid` was seen as a zombie of the main process (it ended before its parent)."""
    return run.duration(pid, lambda p: p.state == "Z" and p.ppid != run.reaper)


def became_a_zombie(run, pid):
    """(t, snapshot) of the first table where `pid` is a zombie, or None."""
    return run.first(lambda s: (p := s.pid(pid)) is not None and p.state == "Z")


def child_started_at(run) -> float:
    """When the main process's first child was first seen (0, the release, if none was seen)."""
    seen = run.first(lambda s: offspring_in(run, s), since=0)
    return seen[0] if seen else 0.0


@exercise.check(points=2, title=T("the main process exits with status 0 within 1 s of starting its child",
                                  "主进程在创建子进程后 1 秒内以退出状态 0 退出"),
                hint=T("the main process must not wait, join or sleep: start the child, then just end (status 0)",
                       "主进程不能 wait、join 或 sleep：创建子进程后直接结束（退出状态 0）"))
def main_exits_0_within_1_s(run):
    # Timed from the child's first sighting, not from the release: the interpreter's start-up
    # alone may take most of a second on a loaded machine. A main process that ends a few ms
    # after forking may be gone before its child is first seen: then the time is <= 0.
    started = child_started_at(run)
    if run.exit_code != 0 or run.exited_at is None or run.exited_at - started > MAIN_WITHIN:
        observed = run.describe_end()
        if started:
            observed = T(f"{observed.en}; its child was first seen at {started:.1f} s",
                         f"{observed.zh}；它的子进程在 {started:.1f} 秒时首次被看到")
        raise Failed(T(f"the main process (PID {run.main}) to exit with status 0 within {MAIN_WITHIN:g} s "
                       f"of starting its child",
                       f"主进程（PID {run.main}）在创建子进程后 {MAIN_WITHIN:g} 秒内以退出状态 0 退出"),
                     observed,
                     run.table_at(run.exited_at - 0.05 if run.exited_at else run.ended).table())
    return run.exited_at


@exercise.check(points=3, title=T("the child outlives the main process and is adopted by PID 1",
                                  "子进程比主进程活得久，并被 1 号进程收养"),
                hint=T("the main process must not wait for its child (os.waitpid, join; multiprocessing joins "
                       "non-daemon children at exit unless the main process ends with os._exit), and the child "
                       "must still be running when its parent exits",
                       "主进程不能等待它的子进程（os.waitpid、join；multiprocessing 在退出时会 join 非守护子进程，"
                       "除非主进程用 os._exit 结束），并且父进程退出时子进程必须还在运行"))
def child_is_adopted_by_pid_1(run):
    orphan = the_orphan(run)
    if orphan is None:
        seen = sorted(offspring(run))
        why = (join(T("; ", "；"), [T(f"children seen: {seen}", f"看到的子进程：{seen}")]
                    + [where_it_ended(run, pid) for pid in seen]
                    + ([run.describe_end()] if run.exited_at is None else []))
               if seen else T("no child of the main process was ever seen", "从未看到主进程的任何子进程"))
        raise Failed(T(f"a child of the main process (PID {run.main}) left behind under {run.the_reaper.en} "
                       f"when the main process ends",
                       f"主进程（PID {run.main}）结束时留下一个子进程，由{run.the_reaper.zh}收养"),
                     why, run.last_table.table())
    early = died_before_its_parent(run, orphan.pid)
    if early >= VISIBLE:
        t, _ = run.first(lambda s: (p := s.pid(orphan.pid)) is not None and p.state == "Z" and p.ppid != run.reaper)
        raise Failed(T(f"the child (PID {orphan.pid}) still running when its parent exits",
                       f"父进程退出时子进程（PID {orphan.pid}）仍在运行"),
                     T(f"it had already exited: a zombie of its parent for {early:.2f} s",
                       f"它已经退出了：作为父进程的僵尸存在了 {early:.2f} 秒"), run.table_at(t).table())
    adopted = run.first(lambda s: (p := s.pid(orphan.pid)) is not None and p.ppid == run.reaper)
    return adopted[0] if adopted else None


@exercise.check(points=1, after=child_is_adopted_by_pid_1,
                title=T("the main process starts exactly one child", "主进程恰好创建一个子进程"),
                hint=T("start one child only (one os.fork(), one Process, or one Popen)",
                       "只创建一个子进程（一次 os.fork()、一个 Process 或一个 Popen）"))
def only_one_child(run):
    children = offspring(run)
    if len(children) != 1:
        raise Failed(T(f"exactly one child of the main process (PID {run.main})",
                       f"主进程（PID {run.main}）恰好有一个子进程"),
                     T(f"{len(children)} children: {sorted(children)}", f"{len(children)} 个子进程：{sorted(children)}"),
                     run.last_table.table())


@exercise.check(points=2, after=child_is_adopted_by_pid_1,
                title=T("the child prints `adopted by 1`: its real new PPID, read after the main process has gone",
                        "子进程打印 `adopted by 1`：主进程退出后它真正读到的新 PPID"),
                hint=T("in the child, wait until os.getppid() has changed (poll it, or be told: PR_SET_PDEATHSIG, "
                       "pidfd_open), then print it, with flush=True",
                       "在子进程中等到 os.getppid() 变了（轮询它，或者让内核通知：PR_SET_PDEATHSIG、pidfd_open），"
                       "再打印它，并加上 flush=True"))
def prints_adopted_by_1(run):
    expected = f"adopted by {the_orphan(run).ppid}"
    if expected not in (line.strip() for line in run.lines):
        said = [line.strip() for line in run.lines if line.strip().startswith("adopted by")]
        raise Failed(T(f"the line {expected!r} in the output", f"输出中有一行 {expected!r}"),
                     T(f"{said} (read while the parent is alive, the PPID is the parent's PID)",
                       f"{said}（在父进程还活着时读取，PPID 就是父进程的 PID）") if said
                     else T(f"{len(run.lines)} lines, none of them `adopted by ...`",
                            f"共 {len(run.lines)} 行，没有一行是 `adopted by ...`"))


@exercise.check(points=2, after=child_is_adopted_by_pid_1,
                title=T("the child exits within 5 s of the main process's exit", "子进程在主进程退出后 5 秒内退出"),
                hint=T("after printing, the child must end (os._exit(0)) instead of waiting or sleeping",
                       "打印之后，子进程必须结束（os._exit(0)），而不是继续等待或睡眠"))
def child_exits_within_5_s(run):
    orphan = the_orphan(run)
    expected = T(f"the child (PID {orphan.pid}) to exit within {CHILD_WITHIN:g} s of the main process",
                 f"子进程（PID {orphan.pid}）在主进程退出后 {CHILD_WITHIN:g} 秒内退出")
    ended = became_a_zombie(run, orphan.pid)
    if ended is None:
        after = run.ended - (run.exited_at or 0)
        raise Failed(expected, T(f"still running {after:.1f} s after the main process had exited",
                                 f"主进程退出 {after:.1f} 秒后仍在运行"), run.last_table.table())
    t, snapshot = ended
    if run.exited_at is None or t - run.exited_at > CHILD_WITHIN + SAMPLING_SLACK:
        after = t - (run.exited_at or 0)
        raise Failed(expected, T(f"it exited {after:.1f} s after the main process",
                                 f"它在主进程退出 {after:.1f} 秒后才退出"), snapshot.table())
    return t


@exercise.check(points=1, after=child_exits_within_5_s,
                title=T("the child exits with status 0", "子进程以退出状态 0 退出"),
                hint=T("end the child with os._exit(0) (or sys.exit(0))", "用 os._exit(0)（或 sys.exit(0)）结束子进程"))
def child_exits_with_status_0(run):
    orphan = the_orphan(run)
    t, snapshot = became_a_zombie(run, orphan.pid)
    status = snapshot.pid(orphan.pid).exit_code
    if status != 0:
        raise Failed(T(f"the child's exit status (its zombie under {run.the_reaper.en}) to be 0",
                       f"子进程（它在{run.the_reaper.zh}之下的僵尸）的退出状态为 0"),
                     T(f"exit status {status}", f"退出状态 {status}"), snapshot.table())
    return t
