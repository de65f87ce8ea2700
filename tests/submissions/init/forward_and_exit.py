# mistake: the signal handler forwards the signal, then exits at once instead of waiting for CMD
# fails: forwards_sigterm forwards_sigint
import os
import signal
import sys

cmd = os.fork()
if cmd == 0:
    os.execvp(sys.argv[1], sys.argv[1:])


def forward(signum, frame):
    os.kill(cmd, signum)
    sys.exit(128 + signum)


for signum in (signal.SIGTERM, signal.SIGINT):
    signal.signal(signum, forward)

while True:
    pid, status = os.waitpid(-1, 0)
    if pid == cmd:
        break
sys.exit(os.waitstatus_to_exitcode(status))
