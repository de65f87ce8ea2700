"""Broken on purpose: neither a SIGCHLD handler nor SIG_IGN is ever set; only os.wait() reaps."""

import os
import signal
import sys

if __name__ == "__main__":
    mode, count = sys.argv[1], int(sys.argv[2])
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
    release, hold = os.pipe()
    for i in range(count):
        if os.fork() == 0:
            os.close(hold)
            os.read(release, 1)
            os._exit(i)
    signal.sigwaitinfo({signal.SIGUSR1})
    os.close(hold)
    if mode in ("wait", "handler"):
        signal.sigwaitinfo({signal.SIGUSR1})
        for _ in range(count):
            os.wait()
    signal.sigwaitinfo({signal.SIGUSR1})
