# style: a SIGCHLD handler reaps with a WNOHANG loop; the main flow naps until the handler has reaped CMD
import os
import signal
import sys
import time

cmd_status = None


def reap(signum, frame):
    global cmd_status
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        if pid == cmd:
            cmd_status = status


def forward(signum, frame):
    try:
        os.kill(cmd, signum)
    except ProcessLookupError:
        pass


signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD})  # no reaping before `cmd` is set
signal.signal(signal.SIGCHLD, reap)
cmd = os.fork()
if cmd == 0:
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
    os.execvp(sys.argv[1], sys.argv[1:])
signal.signal(signal.SIGTERM, forward)
signal.signal(signal.SIGINT, forward)
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})

while cmd_status is None:
    time.sleep(0.05)  # not signal.pause(): the handler may run just before it, and no signal would come again
code = os.waitstatus_to_exitcode(cmd_status)
sys.exit(code if code >= 0 else 128 - code)
