"""Reference solution: a minimal init. Run as PID 1: python3 solution.py CMD ARGS..."""

import os
import signal
import sys

if len(sys.argv) < 2:
    sys.exit("usage: python3 solution.py CMD [ARGS...]")

cmd = os.fork()
if cmd == 0:
    try:
        os.execvp(sys.argv[1], sys.argv[1:])  # the child becomes CMD
    finally:
        os._exit(127)  # exec failed (a traceback was printed)


def forward(signum, frame):
    """PID 1 gets a signal only through a handler: pass it on to CMD."""
    try:
        os.kill(cmd, signum)
    except ProcessLookupError:
        pass  # CMD has already ended


for signum in (signal.SIGTERM, signal.SIGINT):
    signal.signal(signum, forward)

while True:
    pid, status = os.waitpid(-1, 0)  # any child: CMD, or an orphan reparented to PID 1
    if pid == cmd:
        break

code = os.waitstatus_to_exitcode(status)  # -N when CMD was killed by signal N
sys.exit(code if code >= 0 else 128 - code)
