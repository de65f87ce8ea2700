# style: no handlers; SIGCHLD, SIGTERM and SIGINT blocked and taken with signal.sigwaitinfo (the mask restored for CMD)
import os
import signal
import sys

SIGNALS = {signal.SIGCHLD, signal.SIGTERM, signal.SIGINT}

signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
cmd = os.fork()
if cmd == 0:
    signal.pthread_sigmask(signal.SIG_UNBLOCK, SIGNALS)
    os.execvp(sys.argv[1], sys.argv[1:])

exit_code = None
while exit_code is None:
    info = signal.sigwaitinfo(SIGNALS)
    if info.si_signo != signal.SIGCHLD:
        os.kill(cmd, info.si_signo)
        continue
    while True:  # one SIGCHLD may stand for several children
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            break
        if pid == cmd:
            exit_code = os.waitstatus_to_exitcode(status)
sys.exit(exit_code if exit_code >= 0 else 128 - exit_code)
