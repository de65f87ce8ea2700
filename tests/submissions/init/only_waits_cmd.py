# mistake: waits for CMD only (os.waitpid(cmd, 0)): the orphans reparented to PID 1 stay zombies
# fails: reaps_orphans
import os
import signal
import sys

cmd = os.fork()
if cmd == 0:
    os.execvp(sys.argv[1], sys.argv[1:])


def forward(signum, frame):
    os.kill(cmd, signum)


signal.signal(signal.SIGTERM, forward)
signal.signal(signal.SIGINT, forward)

_, status = os.waitpid(cmd, 0)
sys.exit(os.waitstatus_to_exitcode(status))
