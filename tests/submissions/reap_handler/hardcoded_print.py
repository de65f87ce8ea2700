# mistake: the handler only counts signals, nobody reaps; the expected line is printed anyway
# fails: reaps_promptly no_zombie_left prints_reaped_line
import os
import signal
import time

signals = 0


def count(signum, frame):
    global signals
    signals += 1


signal.signal(signal.SIGCHLD, count)
for i in range(20):
    if os.fork() == 0:
        time.sleep((i // 5) * 0.2)
        os._exit(i)

time.sleep(1)
print("reaped 20 sum 190")
