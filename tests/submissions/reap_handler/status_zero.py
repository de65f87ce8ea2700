# mistake: every child exits with status 0 instead of its index i
# fails: exit_statuses prints_reaped_line
import os
import signal
import sys
import time

reaped = {}


def reap(signum, frame):
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        reaped[pid] = os.waitstatus_to_exitcode(status)


signal.signal(signal.SIGCHLD, reap)
for i in range(20):
    if os.fork() == 0:
        time.sleep((i // 5) * 0.2)
        os._exit(0)

deadline = time.monotonic() + 10
while len(reaped) < 20 and time.monotonic() < deadline:
    time.sleep(0.01)
if len(reaped) < 20:
    sys.exit(1)
print(f"reaped {len(reaped)} sum {sum(reaped.values())}")
