"""Broken on purpose: the parent never exits before its child, so nobody is orphaned."""

import os
import signal

if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
    if os.fork() == 0:
        signal.sigwaitinfo({signal.SIGUSR1})
        os._exit(0)
    signal.sigwaitinfo({signal.SIGUSR1})
    os.wait()  # waits for a child that waits for the lab: the parent stays
