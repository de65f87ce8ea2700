"""Scenario two: start one child and join it before starting the next.

    python3 one_by_one.py SECONDS...

Each child works for its number of seconds (simulated with a sleep). join() right after start()
waits for that child to end, so the children run one after the other and the parent waits for
the sum of their times. The parent measures its own total and prints it as `total: <seconds> s`.
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
    for seconds in sys.argv[1:]:
        child = context.Process(target=work, args=(float(seconds),))
        child.start()
        child.join()
    print(f"total: {time.monotonic() - started:.2f} s", flush=True)
