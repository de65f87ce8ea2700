# style: os.posix_spawn of /bin/true; signal.SIG_IGN set through signal.signal before
import errno
import os
import signal
import time

signal.signal(signal.SIGCHLD, signal.SIG_IGN)
for _ in range(10):
    os.posix_spawn("/bin/true", ["true"], os.environ)
time.sleep(1)
try:
    os.wait()
except ChildProcessError as error:
    print("no children: " + errno.errorcode[error.errno])
