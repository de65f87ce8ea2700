# mistake: the child ends with exit status 1
# fails: child_exits_with_status_0
import os
import sys
import time

parent = os.getpid()
if os.fork() == 0:
    while os.getppid() == parent:
        time.sleep(0.01)
    print(f"adopted by {os.getppid()}", flush=True)
    sys.exit(1)
