# mistake: prints the message without calling os.wait()
# fails: wait_lasts_until_no_child_is_left
import os
import signal
import time

signal.signal(signal.SIGCHLD, signal.SIG_IGN)
for _ in range(10):
    if os.fork() == 0:
        os._exit(0)
time.sleep(1)
print("no children: ECHILD")
