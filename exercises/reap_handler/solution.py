"""Reference solution: 20 children reaped by a SIGCHLD handler that loops until nothing is left."""

import os
import signal
import sys
import time

reaped = {}  # pid -> exit status, filled by the handler only


def reap(signum, frame):
    """Reap every child that has ended: one SIGCHLD may stand for several (signals do not queue)."""
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return  # no children left at all
        if pid == 0:
            return  # children left, none of them ended yet
        reaped[pid] = os.waitstatus_to_exitcode(status)


signal.signal(signal.SIGCHLD, reap)  # before the first fork: no child can end unseen
for i in range(20):
    if os.fork() == 0:
        time.sleep((i // 5) * 0.2)
        os._exit(i)

deadline = time.monotonic() + 10
while len(reaped) < 20 and time.monotonic() < deadline:
    time.sleep(0.01)  # the main flow never waits for a child: it only looks at the count
if len(reaped) < 20:
    sys.exit(f"only {len(reaped)} children reaped in 10 s")
print(f"reaped {len(reaped)} sum {sum(reaped.values())}")
