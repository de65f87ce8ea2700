"""put() hands the item to a thread: python3 feeder.py TRIES

A multiprocessing.Queue is a pipe, and put() does not write to it: it appends the item to a
buffer in this process and wakes a background thread, the feeder ("QueueFeederThread"), which
the first put() starts and which pickles the item and writes it to the pipe. put() returns
before that. qsize() counts a semaphore that put() takes at once, so it says 1; empty() asks
whether the pipe has anything to read, so, until the feeder has written, it says True.

Whether the feeder has written by the time empty() asks is a race. The program tries up to TRIES
times -- put(), empty() and qsize() at once, then get() the item back -- and stops at the first
try where empty() said True while qsize() said 1, printing every try before it.

The lab moves it on with SIGUSR1: first it only makes the Queue (one thread: the main one), then
it puts, and waits with the feeder alive until the lab lets it exit.
"""

import multiprocessing
import signal
import sys
import threading


def wait_for_the_lab():
    signal.sigwaitinfo({signal.SIGUSR1})


def threads() -> str:
    return ", ".join(thread.name for thread in threading.enumerate())


if __name__ == "__main__":
    tries = int(sys.argv[1])
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})  # the feeder thread inherits the mask
    # fork, as in the other programs: under spawn or forkserver (3.14's default) the Queue's
    # semaphores would start multiprocessing's resource tracker, a process of its own.
    queue = multiprocessing.get_context("fork").Queue()
    print(f"a Queue made, nothing put yet; threads: {threads()}", flush=True)

    wait_for_the_lab()
    for attempt in range(1, tries + 1):
        queue.put(attempt)
        empty, size = queue.empty(), queue.qsize()
        print(f"try {attempt}: right after put(): empty() = {empty}, qsize() = {size}", flush=True)
        queue.get()  # waits until the feeder has written the item: the queue is empty again
        if empty and size == 1:
            print(f"empty() said True while qsize() said 1, on try {attempt} of at most {tries}",
                  flush=True)
            break
    else:
        print(f"in {tries} tries the feeder thread always wrote before empty() asked", flush=True)
    print(f"threads: {threads()}", flush=True)
    wait_for_the_lab()
