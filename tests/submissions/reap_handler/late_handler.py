# mistake: installs the (correct) SIGCHLD handler only after forking the children
# fails: handler_before_children
import os
import signal
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


for i in range(20):
    if os.fork() == 0:
        time.sleep((i // 5) * 0.2)
        os._exit(i)
signal.signal(signal.SIGCHLD, reap)

deadline = time.monotonic() + 10
while len(reaped) < 20 and time.monotonic() < deadline:
    time.sleep(0.01)
print(f"reaped {len(reaped)} sum {sum(reaped.values())}")
