"""The wristband sale: python3 sale.py BANDS BUYERS AT_ONCE PATIENCE LOG

The stock is a Queue holding BANDS wristbands. BUYERS buyers, each its own process, try to get
one, waiting at most PATIENCE seconds; AT_ONCE of them are let in at a time, because the
lab's sandbox allows 128 processes (threads included). Each buyer appends what it got to LOG, so
the lab counts the sales in what the buyers themselves wrote, not in a printout. The shop waits
for the lab (SIGUSR1) before it closes.
"""

import multiprocessing
import os
import queue
import signal
import sys


def buy(stock, patience, log):
    """Take a wristband, or give up after `patience` seconds.

    Not get_nowait(): it raises queue.Empty also when another buyer holds the queue's read lock
    at that moment, or when the shop's feeder thread has not yet pushed the stock into the pipe:
    a buyer would leave empty-handed while wristbands are left.
    """
    try:
        band = stock.get(timeout=patience)
    except queue.Empty:
        band = "nothing"
    else:
        print(f"buyer {os.getpid()}: got {band}", flush=True)
    # Mode "a" is O_APPEND, and the short line goes out in one write(): no buyer's line is lost.
    with open(log, "a") as f:
        f.write(f"buyer {os.getpid()} got {band}\n")


def wait_for_the_lab():
    signal.sigwaitinfo({signal.SIGUSR1})


if __name__ == "__main__":
    bands, buyers, at_once = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    patience, log = float(sys.argv[4]), sys.argv[5]
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
    # Ask for fork: from Python 3.14 the Linux default is forkserver, whose children are not ours.
    context = multiprocessing.get_context("fork")
    stock = context.Queue()
    for n in range(1, bands + 1):
        stock.put(f"wristband-{n}")
    print(f"shop {os.getpid()}: {bands} wristbands in stock, {buyers} buyers, "
          f"{at_once} at a time", flush=True)
    for first in range(0, buyers, at_once):
        size = min(at_once, buyers - first)
        group = [context.Process(target=buy, args=(stock, patience, log)) for _ in range(size)]
        for buyer in group:
            buyer.start()
        for buyer in group:
            buyer.join()
    print(f"shop: all {buyers} buyers have left", flush=True)
    wait_for_the_lab()
