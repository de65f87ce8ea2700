# mistake: reaps the children with a SIGCHLD handler instead of ignoring SIGCHLD (then os.wait() returns the last child instead of failing)
# fails: ignores_sigchld prints_no_children_echild
import errno
import os
import signal
import time


def reap(signum, frame):
    try:
        while os.waitpid(-1, os.WNOHANG)[0] > 0:
            pass
    except ChildProcessError:
        pass


signal.signal(signal.SIGCHLD, reap)
for _ in range(10):
    if os.fork() == 0:
        os._exit(0)
time.sleep(1)
try:
    os.wait()
except ChildProcessError as error:
    print(f"no children: {errno.errorcode[error.errno]}")
