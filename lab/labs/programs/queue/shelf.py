"""A shelf with room for a few items: python3 shelf.py ROOM MADE WAIT LOG

The shop (this process) makes a Queue(maxsize=ROOM) and starts a producer (a child) that put()s
MADE items one by one. Whoever puts or gets an item appends a line to LOG ("put item-1",
"got item-1"): the lab counts the puts and checks the order there. The lab moves the shop on
with SIGUSR1, one stage at a time:

1. put_nowait() on the full shelf: queue.Full, at once;
2. get() one item: one place frees, and exactly one more put() of the producer gets in;
3. get() the rest: they come out in the order they went in; the producer finishes and exits;
4. join() the producer, then get_nowait() and get(timeout=WAIT) on the empty shelf:
   queue.Empty, the second only after WAIT seconds (measured here, and watched by the lab).
"""

import multiprocessing
import os
import queue
import signal
import sys
import time


def note(log, line):
    """Append `line` to the log. Mode "a" is O_APPEND and the short line goes out in one
    write(): lines of the shop and of the producer never overwrite or split each other."""
    with open(log, "a") as f:
        f.write(line + "\n")


def produce(shelf, made, log):
    for n in range(1, made + 1):
        item = f"item-{n}"
        shelf.put(item)  # waits while the shelf holds maxsize items
        print(f"producer {os.getpid()}: put {item}", flush=True)
        note(log, f"put {item}")


def take(shelf, log):
    item = shelf.get()
    print(f"shop {os.getpid()}: got {item}", flush=True)
    note(log, f"got {item}")


def wait_for_the_lab():
    signal.sigwaitinfo({signal.SIGUSR1})


if __name__ == "__main__":
    room, made, wait, log = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
    # Ask for fork: from Python 3.14 the Linux default is forkserver, whose children are not ours.
    context = multiprocessing.get_context("fork")
    shelf = context.Queue(maxsize=room)
    producer = context.Process(target=produce, args=(shelf, made, log))
    producer.start()
    print(f"shop {os.getpid()}: Queue(maxsize={room}); producer {producer.pid} will put "
          f"{made} items", flush=True)

    wait_for_the_lab()
    try:
        shelf.put_nowait("extra")
    except queue.Full:
        print("shop: put_nowait() raised queue.Full: the shelf is full, and it does not wait",
              flush=True)

    wait_for_the_lab()
    take(shelf, log)

    wait_for_the_lab()
    for _ in range(made - 1):
        take(shelf, log)

    wait_for_the_lab()
    producer.join()
    print(f"shop: joined producer {producer.pid}, exitcode {producer.exitcode}", flush=True)
    try:
        shelf.get_nowait()
    except queue.Empty:
        print("shop: get_nowait() raised queue.Empty at once", flush=True)
    started = time.monotonic()
    try:
        shelf.get(timeout=wait)
    except queue.Empty:
        waited = time.monotonic() - started
        print(f"shop: get(timeout={wait:g}) raised queue.Empty after {waited:.2f} s", flush=True)
