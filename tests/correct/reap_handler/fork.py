# style: os.fork; the SIGCHLD handler loops os.waitpid(-1, WNOHANG); the main flow polls the count every 50 ms
import os
import signal
import time

statuses = []


def on_sigchld(signum, frame):
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break  # no child left
        if pid == 0:
            break  # the others are still running
        statuses.append(os.waitstatus_to_exitcode(status))


signal.signal(signal.SIGCHLD, on_sigchld)

for i in range(20):
    if os.fork() == 0:
        time.sleep((i // 5) * 0.2)
        os._exit(i)

give_up = time.monotonic() + 10
while len(statuses) < 20 and time.monotonic() < give_up:
    time.sleep(0.05)
print(f"reaped {len(statuses)} sum {sum(statuses)}")
