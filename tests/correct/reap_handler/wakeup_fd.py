# style: os.fork; the handler reaps; the main flow sleeps in select() on a signal.set_wakeup_fd pipe, woken by each SIGCHLD
import os
import select
import signal
import time

reaped = {}


def reap_all(signum, frame):
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        reaped[pid] = os.waitstatus_to_exitcode(status)


wake_read, wake_write = os.pipe()
os.set_blocking(wake_write, False)
signal.set_wakeup_fd(wake_write)  # each signal also writes a byte here, so select() below returns
signal.signal(signal.SIGCHLD, reap_all)

for i in range(20):
    if os.fork() == 0:
        time.sleep((i // 5) * 0.2)
        os._exit(i)

deadline = time.monotonic() + 10
while len(reaped) < 20:
    left = deadline - time.monotonic()
    if left <= 0:
        break
    ready, _, _ = select.select([wake_read], [], [], left)
    if ready:
        os.read(wake_read, 1024)  # the bytes only woke us: the handler has already run
print(f"reaped {len(reaped)} sum {sum(reaped.values())}")
