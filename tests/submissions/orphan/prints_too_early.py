# mistake: the child prints its PPID at once, while the parent is still alive (the old PPID)
# fails: prints_adopted_by_1
import os
import time

if os.fork() == 0:
    print(f"adopted by {os.getppid()}", flush=True)
    time.sleep(1)
    os._exit(0)
time.sleep(0.3)
