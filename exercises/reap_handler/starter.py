"""reap_handler exercise: see README.md. This program runs, but does not do the task yet."""

import os
import signal
import time

reaped = {}  # pid -> exit status


def reap(signum, frame):
    """Called on SIGCHLD."""
    # TODO: reap every child that has ended: loop os.waitpid(-1, os.WNOHANG) until it returns
    #       (0, 0) or raises ChildProcessError, and record each pid and exit status in `reaped`


signal.signal(signal.SIGCHLD, reap)
for i in range(20):
    if os.fork() == 0:
        time.sleep((i // 5) * 0.2)
        os._exit(i)

# TODO: instead of sleeping a fixed second, wait (without calling os.wait) until the handler has
#       reaped all 20 children, at most 10 s
time.sleep(1)
print(f"reaped {len(reaped)} sum {sum(reaped.values())}")
