"""reap_ignore exercise: see README.md. This program runs, but does not do the task yet."""

import errno
import os
import time

# TODO: ignore SIGCHLD (signal.SIG_IGN) before starting any child
for _ in range(10):
    if os.fork() == 0:
        os._exit(0)
time.sleep(1)
try:
    os.wait()
except ChildProcessError as error:
    print(f"no children: {errno.errorcode[error.errno]}")
