# mistake: forwards SIGTERM but not SIGINT (Python's default handler raises KeyboardInterrupt in PID 1)
# fails: forwards_sigint
import os
import signal
import sys

cmd = os.fork()
if cmd == 0:
    os.execvp(sys.argv[1], sys.argv[1:])

signal.signal(signal.SIGTERM, lambda signum, frame: os.kill(cmd, signum))

while True:
    pid, status = os.waitpid(-1, 0)
    if pid == cmd:
        break
sys.exit(os.waitstatus_to_exitcode(status))
