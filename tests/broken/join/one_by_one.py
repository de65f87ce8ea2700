"""Broken scenario two: it starts every child before joining any.

The children overlap: the lab must see two children alive at once, which it says never happens.
"""

import multiprocessing
import sys
import time


def work(seconds):
    time.sleep(seconds)


if __name__ == "__main__":
    context = multiprocessing.get_context("fork")
    started = time.monotonic()
    children = [context.Process(target=work, args=(float(s),)) for s in sys.argv[1:]]
    for child in children:
        child.start()
    for child in children:
        child.join()
    print(f"total: {time.monotonic() - started:.2f} s", flush=True)
