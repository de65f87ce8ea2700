# mistake: does everything, then ends with sys.exit(1)
# fails: exits_with_status_0
import os
import sys
import time

pid = os.fork()
if pid == 0:
    os._exit(7)
time.sleep(2.5)
reaped, status = os.waitpid(pid, 0)
print(f"reaped {reaped} status {os.waitstatus_to_exitcode(status)}")
sys.exit(1)
