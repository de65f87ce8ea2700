# mistake: no SIGCHLD handler; the main flow reaps with os.wait()
# fails: handler_before_children
import os
import time

statuses = []
for i in range(20):
    if os.fork() == 0:
        time.sleep((i // 5) * 0.2)
        os._exit(i)

for _ in range(20):
    pid, status = os.wait()
    statuses.append(os.waitstatus_to_exitcode(status))
print(f"reaped {len(statuses)} sum {sum(statuses)}")
