"""Reference solution: SIGCHLD ignored, so the kernel reaps the children and wait() has nobody to wait for."""

import errno
import os
import signal
import time

signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # before the children exist: none will be a zombie
for _ in range(10):
    if os.fork() == 0:
        os._exit(0)  # the child ends at once; the kernel reaps it at once
time.sleep(1)
try:
    os.wait()  # blocks while any child is alive, then: no children at all
except ChildProcessError as error:
    print(f"no children: {errno.errorcode[error.errno]}")
