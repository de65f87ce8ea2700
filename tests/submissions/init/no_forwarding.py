# mistake: reaps and exits correctly but installs no signal handler: PID 1 ignores SIGTERM, and SIGINT kills it
# fails: forwards_sigterm forwards_sigint
import os
import sys

cmd = os.fork()
if cmd == 0:
    os.execvp(sys.argv[1], sys.argv[1:])

while True:
    pid, status = os.waitpid(-1, 0)
    if pid == cmd:
        break
sys.exit(os.waitstatus_to_exitcode(status))
