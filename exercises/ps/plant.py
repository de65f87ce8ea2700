"""Planted by the grader of the ps exercise, as root, before the submission runs.

It leaves processes in known states for the submission's ps to list, and never changes them:

    plant (S)                      this program, asleep for ever; it never waits for its children
    ├─ sleeper (S)                 asleep for ever
    ├─ stopped (T)                 stopped itself with SIGSTOP
    ├─ weird) name (S)             asleep, with a name that breaks naive parsing of /proc/PID/stat
    └─ zombie (Z)                  exited at once; its parent never waits for it
    orphan (S), child of PID 1     its parent exited (and was reaped by plant)

Each renames itself (prctl PR_SET_NAME: the kernel's `comm`, what /proc/PID/stat shows). Run as
root, none of them can be signalled by the student's uid. Standard library only.
"""

import ctypes
import os
import signal

PR_SET_NAME = 15
libc = ctypes.CDLL(None, use_errno=True)


def rename(name: str) -> None:
    if libc.prctl(PR_SET_NAME, name.encode(), 0, 0, 0) != 0:
        os._exit(100 + ctypes.get_errno())


def forever() -> None:
    while True:
        signal.pause()


def stop() -> None:
    os.kill(os.getpid(), signal.SIGSTOP)
    forever()


def leave_an_orphan() -> None:
    child("orphan", forever)  # then exit: the orphan is adopted by PID 1


def child(name: str, then) -> int:
    pid = os.fork()
    if pid == 0:
        rename(name)
        then()
        os._exit(3)
    return pid


rename("plant")
child("sleeper", forever)
child("stopped", stop)
child("weird) name", forever)
child("zombie", lambda: None)
os.waitpid(child("orphan maker", leave_an_orphan), 0)  # reap only that one: the zombie stays
forever()
