"""Tickets exercise: see README.md. This program runs, but does not do the task yet."""

import json
import multiprocessing
import os
import time


def buy(i, delay):
    # TODO: read the count and write it back under one multiprocessing.Lock shared by all buyers
    with open("tickets.json") as f:
        count = json.load(f)["count"]
    time.sleep(delay)  # simulated network latency
    # TODO: if a ticket is left (count > 0), write {"count": count - 1} back to tickets.json
    #       and print "buyer <i> got a ticket"; otherwise print "buyer <i> sold out"


if __name__ == "__main__":
    buyers = int(os.environ["BUYERS"])
    delay = float(os.environ["DELAY"])
    processes = [multiprocessing.Process(target=buy, args=(i, delay)) for i in range(buyers)]
    for p in processes:
        p.start()
    for p in processes:
        p.join()
