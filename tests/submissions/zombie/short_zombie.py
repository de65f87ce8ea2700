# mistake: reaps the zombie after 0.5 s instead of 2
# fails: stays_a_zombie_for_2_s
import os
import time

pid = os.fork()
if pid == 0:
    os._exit(7)
time.sleep(0.5)
reaped, status = os.waitpid(pid, 0)
print(f"reaped {reaped} status {os.waitstatus_to_exitcode(status)}")
