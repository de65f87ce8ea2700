"""Broken on purpose: the parent waits for its children, so PID 1 adopts nobody."""

import os
import signal
import sys

if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
    children = int(sys.argv[1])
    for _ in range(children):
        if os.fork() == 0:
            signal.sigwaitinfo({signal.SIGUSR1})
            os._exit(0)
    for _ in range(children):
        os.wait()
