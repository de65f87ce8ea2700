# mistake: ignores SIGCHLD only after the children have ended: their zombies stay, and os.wait() reaps one
# fails: ignores_sigchld no_zombie_ever wait_lasts_until_no_child_is_left prints_no_children_echild
import errno
import os
import signal
import time

for _ in range(10):
    if os.fork() == 0:
        os._exit(0)
time.sleep(1)
signal.signal(signal.SIGCHLD, signal.SIG_IGN)
try:
    os.wait()
except ChildProcessError as error:
    print(f"no children: {errno.errorcode[error.errno]}")
