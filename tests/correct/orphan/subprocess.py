# style: subprocess.Popen of a second Python that polls its PPID; Popen never waits at exit
import os
import subprocess
import sys

CHILD = """
import os, sys, time
parent = int(sys.argv[1])
while os.getppid() == parent:
    time.sleep(0.01)
print("adopted by", os.getppid(), flush=True)
"""

subprocess.Popen([sys.executable, "-c", CHILD, str(os.getpid())])
