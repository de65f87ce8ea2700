"""Reference solution: a zombie kept for 2.5 s, then reaped by its parent."""

import os
import time

pid = os.fork()
if pid == 0:
    os._exit(7)  # the child ends at once; until its parent waits, it is a zombie

time.sleep(2.5)  # now `ps` shows the child as Z <defunct>
reaped, status = os.waitpid(pid, 0)  # reaping removes the zombie and returns its status
print(f"reaped {reaped} status {os.waitstatus_to_exitcode(status)}")
