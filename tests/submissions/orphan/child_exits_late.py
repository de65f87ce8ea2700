# mistake: the child stays 7 s after printing, instead of exiting within 5 s of the parent's exit
# fails: child_exits_within_5_s child_exits_with_status_0
import os
import time

parent = os.getpid()
if os.fork() == 0:
    while os.getppid() == parent:
        time.sleep(0.01)
    print(f"adopted by {os.getppid()}", flush=True)
    time.sleep(7)
    os._exit(0)
