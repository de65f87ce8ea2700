"""Zombie exercise: see README.md. This program runs, but does not do the task yet."""

import os

pid = os.fork()
if pid == 0:
    # TODO: the child must end at once with exit status 7
    os._exit(0)

# TODO: keep the child a zombie for at least 2 s: do not wait for it before that
os.waitpid(pid, 0)
# TODO: print "reaped <pid> status 7" with the child's PID and its real exit status
