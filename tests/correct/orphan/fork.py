# style: os.fork; the child polls os.getppid() until its parent has gone
import os
import sys
import time

parent = os.getpid()
child = os.fork()
if child == 0:
    while os.getppid() == parent:
        time.sleep(0.005)
    sys.stdout.write(f"adopted by {os.getppid()}\n")
    sys.stdout.flush()
    os._exit(0)
sys.exit(0)
