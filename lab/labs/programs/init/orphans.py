"""Make N orphans: python3 orphans.py N

The parent starts N children and exits at once, so the reaper adopts them: PID 1 of a container,
or the nearest ancestor that set PR_SET_CHILD_SUBREAPER (proclab's supervisor, in place). Each
child waits for SIGUSR1 (the lab sends it with pkill) and then exits. Whether they stay zombies
depends on the reaper: one that never calls wait() leaves them there, an init such as tini reaps
them.
"""

import os
import signal
import sys

if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
    for _ in range(int(sys.argv[1])):
        if os.fork() == 0:
            signal.sigwaitinfo({signal.SIGUSR1})
            os._exit(0)
    print(f"parent {os.getpid()}: started {sys.argv[1]} children, exiting without waiting", flush=True)
