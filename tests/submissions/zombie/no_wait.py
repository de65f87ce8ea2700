# mistake: never waits for the child, and prints the expected line anyway
# fails: parent_reaps_it reports_the_reaped_child
import os
import time

pid = os.fork()
if pid == 0:
    os._exit(7)
time.sleep(2.5)
print(f"reaped {pid} status 7")
