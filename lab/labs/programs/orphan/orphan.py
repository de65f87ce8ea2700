"""A parent that exits while its child still runs, leaving an orphan.

Plain os.fork(): a multiprocessing parent would join its non-daemon children at exit and never
leave an orphan. The lab sends SIGUSR1 to the parent (exit now) and then to the child (look at
your parent again, and exit).
"""

import os
import signal
import sys


def wait_for_the_lab():
    signal.sigwaitinfo({signal.SIGUSR1})


if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
    pid = os.fork()
    if pid == 0:
        print(f"child  {os.getpid()}: my parent is PID {os.getppid()}", flush=True)
        wait_for_the_lab()
        print(f"child  {os.getpid()}: my parent is now PID {os.getppid()}", flush=True)
        sys.exit(0)
    print(f"parent {os.getpid()}: started child {pid}", flush=True)
    wait_for_the_lab()
    print(f"parent {os.getpid()}: exiting without waiting for child {pid}", flush=True)
