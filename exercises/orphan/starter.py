"""Orphan exercise: see README.md. This program runs, but does not do the task yet."""

import os

pid = os.fork()
if pid == 0:
    # TODO: wait until the parent has exited (os.getppid() changes) before reading the new PPID
    print(f"adopted by {os.getppid()}", flush=True)
    # TODO: exit with status 0 once the new PPID is printed
    os._exit(0)

# TODO: do not wait for the child: an orphan is a child whose parent has gone
os.waitpid(pid, 0)
