# mistake: starts 5 children instead of 10
# fails: starts_10_children
import errno
import os
import signal
import time

signal.signal(signal.SIGCHLD, signal.SIG_IGN)
for _ in range(5):
    if os.fork() == 0:
        os._exit(0)
time.sleep(1)
try:
    os.wait()
except ChildProcessError as error:
    print(f"no children: {errno.errorcode[error.errno]}")
