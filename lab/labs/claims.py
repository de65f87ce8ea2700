"""Claims that many labs make, as ready-made checks."""

from typing import Optional

from lab.labs.model import Check, T


def exited(role: str, status: int = 0, why: Optional[T] = None) -> Check:
    """The program the lab started as `role` has exited with `status` (seen by the engine)."""
    because = T(f" ({why.en})", f"（{why.zh}）") if why else T("", "")
    return Check(T(f"the program {{{role}}} exited with status {status}{because.en}",
                   f"程序 {{{role}}} 以状态 {status} 退出{because.zh}"),
                 lambda w: w.exit_code(role) == status)


def zombie_with_exit_code(role: str, code: int) -> Check:
    """`role` has exited and is not reaped yet; its wait status gives multiprocessing's exitcode
    `code` (-N when killed by signal N). The observer reads it from /proc/<pid>/stat."""
    return Check(T(f"PID {{{role}}} a zombie whose exit code is {code}",
                   f"PID {{{role}}} 是僵尸进程，退出码为 {code}"),
                 lambda w: w.zombie_exit(role) == code)


def reaper_is() -> Check:
    """The sandbox's reaper is the program its place says: tini or `sleep` as PID 1 of a
    container, proclab's supervisor in place."""
    return Check(T("PID {reaper} is {reaper_name}", "PID {reaper} 是 {reaper_name}"),
                 lambda w: w.reaper_is_expected())
