# style: os.posix_spawnp starts CMD; a handler forwards the signals; os.waitpid(-1, 0) in a loop
import os
import signal
import sys

cmd = os.posix_spawnp(sys.argv[1], sys.argv[1:], os.environ)


def forward(signum, frame):
    try:
        os.kill(cmd, signum)
    except ProcessLookupError:
        pass


for signum in (signal.SIGINT, signal.SIGTERM):
    signal.signal(signum, forward)

status = None
while status is None:
    pid, wait_status = os.waitpid(-1, 0)
    if pid == cmd:
        status = os.waitstatus_to_exitcode(wait_status)
sys.exit(status if status >= 0 else 128 - status)
