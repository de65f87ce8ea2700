# mistake: waits for the child at once, so it is never a zombie for long
# fails: child_becomes_a_zombie only_one_child stays_a_zombie_for_2_s parent_reaps_it reports_the_reaped_child
import os
import time

pid = os.fork()
if pid == 0:
    os._exit(7)
reaped, status = os.waitpid(pid, 0)
time.sleep(2.5)
print(f"reaped {reaped} status {os.waitstatus_to_exitcode(status)}")
