# mistake: the handler reaps one child per SIGCHLD, so children that end together are missed
# fails: reaps_promptly no_zombie_left prints_reaped_line exits_with_status_0
import os
import signal
import time

reaped = {}


def reap(signum, frame):
    pid, status = os.wait()  # one child per signal
    reaped[pid] = os.waitstatus_to_exitcode(status)


signal.signal(signal.SIGCHLD, reap)
for i in range(20):
    if os.fork() == 0:
        time.sleep((i // 5) * 0.2)
        os._exit(i)

while len(reaped) < 20:
    time.sleep(0.01)
print(f"reaped {len(reaped)} sum {sum(reaped.values())}")
