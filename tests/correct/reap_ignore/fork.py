# style: os.fork in a loop, children leave with os._exit; os.waitpid(-1, 0) as the wait that fails
import errno
import os
import signal
import sys
import time

signal.signal(signal.SIGCHLD, signal.SIG_IGN)
children = 0
while children < 10:
    if os.fork() == 0:
        os._exit(0)
    children += 1
time.sleep(1)
try:
    os.waitpid(-1, 0)
except OSError as error:
    print("no children:", errno.errorcode[error.errno])
    sys.exit(0)
sys.exit("a child was reaped: SIGCHLD was not ignored")
