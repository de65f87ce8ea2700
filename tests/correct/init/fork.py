# style: os.fork + os.execvp; handlers installed before the fork (reset by the exec); os.wait() in a loop
import os
import signal
import sys

cmd = None


def forward(signum, frame):
    if cmd is not None:
        os.kill(cmd, signum)


signal.signal(signal.SIGTERM, forward)
signal.signal(signal.SIGINT, forward)

cmd = os.fork()
if cmd == 0:
    os.execvp(sys.argv[1], sys.argv[1:])

while True:
    pid, status = os.wait()
    if pid == cmd:
        break

if os.WIFEXITED(status):
    sys.exit(os.WEXITSTATUS(status))
sys.exit(128 + os.WTERMSIG(status))
