# style: subprocess.Popen of `true`, ten times; Popen objects are never waited for
import errno
import os
import signal
import subprocess
import time

signal.signal(signal.SIGCHLD, signal.SIG_IGN)
children = [subprocess.Popen(["true"]) for _ in range(10)]
time.sleep(1)
try:
    os.wait()
except ChildProcessError as error:
    print("no children:", errno.errorcode[error.errno])
