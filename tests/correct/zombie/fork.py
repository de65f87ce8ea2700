# style: os.fork, the child ends with os._exit(7), the parent sleeps 2 s, then os.waitpid
import os
import time

child = os.fork()
if child == 0:
    os._exit(7)

time.sleep(2)
pid, status = os.waitpid(child, 0)
print(f"reaped {pid} status {os.waitstatus_to_exitcode(status)}")
