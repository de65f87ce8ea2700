"""Grading the zombie exercise: one child, a zombie for 2 s with exit status 7, reaped by its parent.

PID 1 of the grading container never reaps (see `Exercise.reaper`): a zombie the program did not
reap stays in the table, under PID 1, after the program has exited. Whether the parent reaped
its child is then read from the final table, not from the order of two events a few
milliseconds apart.
"""

from lab.grading import Exercise, Failed, T

exercise = Exercise("zombie", T("Make a zombie, keep it for 2 s, then reap it", "制造一个僵尸进程，保持 2 秒，再回收它"),
                    time_limit=8)

VISIBLE = 0.2  # a zombie that lives less than this is not one a student could have seen with ps
KEPT = 2.0
SAMPLING_SLACK = 0.1  # the observer samples every 10 ms: sleeping exactly 2 s must pass (1.98 s was seen)


def the_zombie(run):
    """The first child of the main process that was a zombie long enough to be seen, or None."""
    return next((pid for pid in sorted(run.children()) if run.zombie_time(pid) >= VISIBLE), None)


def first_zombie_frame(run, pid):
    return run.first(lambda s: (p := s.pid(pid)) is not None and p.state == "Z")


@exercise.check(points=2, title=T("the child becomes a zombie with exit status 7", "子进程成为僵尸进程，退出状态为 7"),
                hint=T("the child must end at once with os._exit(7), and the parent must not wait for it yet",
                       "子进程必须立即用 os._exit(7) 结束，父进程此时还不能等待它"))
def child_becomes_a_zombie(run):
    pid = the_zombie(run)
    if pid is None:
        seen = ", ".join(f"PID {p} {run.zombie_time(p):.2f} s" for p in sorted(run.children()))
        raise Failed(T(f"a child of the main process (PID {run.main}) in state Z for at least {VISIBLE} s",
                       f"主进程（PID {run.main}）的一个子进程处于状态 Z 至少 {VISIBLE} 秒"),
                     T(f"zombie time of each child seen: {seen or 'no child seen'}",
                       f"看到的每个子进程处于僵尸状态的时间：{seen or '没有看到子进程'}"), run.last_table.table())
    t, table = first_zombie_frame(run, pid)
    status = table.pid(pid).exit_code
    if status != 7:
        raise Failed(T("the zombie's exit status to be 7", "僵尸进程的退出状态为 7"),
                     T(f"exit status {status}", f"退出状态 {status}"), table.table())
    return t


@exercise.check(points=1, after=child_becomes_a_zombie,
                title=T("the program creates exactly one child", "程序恰好创建一个子进程"),
                hint=T("call os.fork() exactly once", "只调用一次 os.fork()"))
def only_one_child(run):
    children = run.children()
    if len(children) != 1:
        raise Failed(T(f"exactly one child of the main process (PID {run.main})",
                       f"主进程（PID {run.main}）恰好有一个子进程"),
                     T(f"{len(children)} children: {sorted(children)}", f"{len(children)} 个子进程：{sorted(children)}"),
                     run.table_at(first_zombie_frame(run, the_zombie(run))[0]).table())


@exercise.check(points=2, after=only_one_child,
                title=T("the child stays a zombie for at least 2 s", "子进程保持僵尸状态至少 2 秒"),
                hint=T("sleep at least 2 s before calling os.waitpid", "调用 os.waitpid 之前至少睡眠 2 秒"))
def stays_a_zombie_for_2_s(run):
    pid = the_zombie(run)
    if run.zombie_time(pid) < KEPT - SAMPLING_SLACK:
        raise Failed(T(f"the child a zombie for at least {KEPT:g} s (seen for {KEPT - SAMPLING_SLACK:g} s or more)",
                       f"子进程保持僵尸状态至少 {KEPT:g} 秒（观察到 {KEPT - SAMPLING_SLACK:g} 秒或更长）"),
                     T(f"a zombie for {run.zombie_time(pid):.2f} s", f"僵尸状态持续了 {run.zombie_time(pid):.2f} 秒"),
                     run.table_at(first_zombie_frame(run, pid)[0]).table())


@exercise.check(points=2, after=only_one_child, title=T("the parent reaps the zombie", "父进程回收了这个僵尸进程"),
                hint=T("call os.waitpid(pid, 0) before the program ends: only the parent can reap its zombie here",
                       "在程序结束前调用 os.waitpid(pid, 0)：在这里只有父进程能回收它的僵尸子进程"))
def parent_reaps_it(run):
    pid = the_zombie(run)
    if pid in {p.pid for p in run.leftovers}:
        raise Failed(T(f"the zombie (PID {pid}) removed by a wait of its parent",
                       f"僵尸进程（PID {pid}）被父进程的 wait 回收"),
                     T(f"it was still a zombie after the program had exited (now a child of {run.the_reaper.en})",
                       f"程序退出后它仍是僵尸进程（现在是{run.the_reaper.zh}的子进程）"),
                     run.last_table.table())
    return run.first(lambda s: s.pid(pid) is None, since=first_zombie_frame(run, pid)[0])[0]


@exercise.check(points=1, after=parent_reaps_it,
                title=T("prints `reaped <pid> status 7` with the child's real PID",
                        "打印 `reaped <pid> status 7`，其中是子进程真实的 PID"),
                hint=T("print exactly `reaped <pid> status 7` (the exit status: os.waitstatus_to_exitcode, "
                       "not the raw wait status 1792)",
                       "准确打印 `reaped <pid> status 7`（退出状态：用 os.waitstatus_to_exitcode 换算，"
                       "而不是原始的 wait 状态 1792）"))
def reports_the_reaped_child(run):
    expected = f"reaped {the_zombie(run)} status 7"
    if expected not in (line.strip() for line in run.lines):
        raise Failed(T(f"the line {expected!r} in the output", f"输出中有一行 {expected!r}"),
                     T(f"{len(run.lines)} lines, none of them that", f"共 {len(run.lines)} 行，没有这一行"))


exits_with_status_0 = exercise.check_exit_status_0()
