# mistake: os.wait() once: it returns the first child that ends, an orphan, and the init exits with its status
# fails: waits_for_cmd exits_with_cmd_status
import os
import signal
import sys

cmd = os.fork()
if cmd == 0:
    os.execvp(sys.argv[1], sys.argv[1:])

for signum in (signal.SIGTERM, signal.SIGINT):
    signal.signal(signum, lambda signum, frame: os.kill(cmd, signum))

pid, status = os.wait()
sys.exit(os.waitstatus_to_exitcode(status))
