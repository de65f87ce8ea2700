# mistake: exits with the raw wait status (status 3 is 768, which the shell sees as 0)
# fails: exits_with_cmd_status
import os
import signal
import sys

cmd = os.fork()
if cmd == 0:
    os.execvp(sys.argv[1], sys.argv[1:])

for signum in (signal.SIGTERM, signal.SIGINT):
    signal.signal(signum, lambda signum, frame: os.kill(cmd, signum))

while True:
    pid, status = os.waitpid(-1, 0)
    if pid == cmd:
        break
sys.exit(status)
