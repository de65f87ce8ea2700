"""Scenario one: start every child first, then join them all.

    python3 together.py SECONDS...

Each child works for its number of seconds. The work is simulated with a sleep, i.e. work that
waits (like I/O): on the lab's single CPU, children that compute could not overlap. All children
work at the same time, so the parent waits about as long as the slowest one. The parent measures
its own total and prints it as `total: <seconds> s`.
"""

import multiprocessing
import os
import sys
import time


def work(seconds):
    print(f"child {os.getpid()}: working for {seconds:g} s", flush=True)
    time.sleep(seconds)  # the simulated work: it is what the parent times
    print(f"child {os.getpid()}: done", flush=True)


if __name__ == "__main__":
    # fork, asked for explicitly: from Python 3.14 the Linux default is forkserver, whose
    # children belong to the server, not to this parent.
    context = multiprocessing.get_context("fork")
    started = time.monotonic()
    children = [context.Process(target=work, args=(float(s),)) for s in sys.argv[1:]]
    for child in children:
        child.start()
    for child in children:
        child.join()
    print(f"total: {time.monotonic() - started:.2f} s", flush=True)
