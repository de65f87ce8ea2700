# mistake: the main process sleeps 1.5 s before ending (it must exit within 1 s)
# fails: main_exits_0_within_1_s
import os
import time

parent = os.getpid()
if os.fork() == 0:
    while os.getppid() == parent:
        time.sleep(0.01)
    print(f"adopted by {os.getppid()}", flush=True)
    os._exit(0)
time.sleep(1.5)
