# mistake: forks two children instead of one
# fails: only_one_child stays_a_zombie_for_2_s parent_reaps_it reports_the_reaped_child
import os
import time

for _ in range(2):
    pid = os.fork()
    if pid == 0:
        os._exit(7)
time.sleep(2.5)
reaped, status = os.waitpid(pid, 0)
os.wait()
print(f"reaped {reaped} status {os.waitstatus_to_exitcode(status)}")
