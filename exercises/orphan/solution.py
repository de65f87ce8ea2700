"""Reference solution: the main process leaves at once; its child waits to be adopted, then says by whom."""

import os
import time

parent = os.getpid()
if os.fork() == 0:
    while os.getppid() == parent:  # the parent is still alive: keep watching
        time.sleep(0.01)
    print(f"adopted by {os.getppid()}", flush=True)  # flush: os._exit does not flush
    os._exit(0)
# the main process does not wait for its child: it simply ends, with status 0
