"""Broken scenario one: it joins each child right after starting it.

The children run one after the other, never three at once: the lab must not observe three
children working at the same time.
"""

import multiprocessing
import sys
import time


def work(seconds):
    time.sleep(seconds)


if __name__ == "__main__":
    context = multiprocessing.get_context("fork")
    started = time.monotonic()
    for seconds in sys.argv[1:]:
        child = context.Process(target=work, args=(float(seconds),))
        child.start()
        child.join()
    print(f"total: {time.monotonic() - started:.2f} s", flush=True)
