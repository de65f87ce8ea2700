"""A child changes a global variable; its parent's stays as it was: python3 globals.py

The tutorial's example: n = 100 at module level, and a child that sets n = 0. With the fork start
method the child begins as a copy of the parent, n included; what it changes is its own copy.

Each process writes the n it sees to n.<its PID> in its working directory, where the lab reads
it from outside. The
child does so and waits for SIGUSR1, so that the lab sees it alive, a process of its own. The
parent joins it and only then looks at its own n: after the change, so that an unchanged n means
something. (The tutorial's parent prints right after start(), perhaps before the child has run.)
"""

import multiprocessing
import os
import signal

n = 100


def record():
    """Write the n this process sees to n.<PID>, in the working directory."""
    with open(f"n.{os.getpid()}", "w") as f:
        f.write(f"{n}\n")


def work():
    global n
    n = 0
    record()
    print(f"child  {os.getpid()}: I set n = {n}", flush=True)
    signal.sigwaitinfo({signal.SIGUSR1})


if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})  # the child inherits the mask
    process = multiprocessing.get_context("fork").Process(target=work)
    process.start()
    print(f"parent {os.getpid()}: started child {process.pid}, and wait for it to end", flush=True)
    process.join()
    record()
    print(f"parent {os.getpid()}: child {process.pid} has exited; here n = {n}", flush=True)
