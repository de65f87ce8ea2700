# style: subprocess.Popen(sys.argv[1:]); Popen.send_signal forwards; os.waitpid(-1, 0) reaps CMD and the orphans
import os
import signal
import subprocess
import sys

child = subprocess.Popen(sys.argv[1:])
for signum in (signal.SIGTERM, signal.SIGINT):
    signal.signal(signum, lambda signum, frame: child.send_signal(signum))

while True:
    pid, status = os.waitpid(-1, 0)
    if pid == child.pid:
        child.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
        break

sys.exit(child.returncode if child.returncode >= 0 else 128 - child.returncode)
