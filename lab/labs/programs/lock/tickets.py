"""The ticket race (抢票): python3 tickets.py nolock|lock|join BUYERS TICKETS ROUNDS

The ticket office is a file, tickets.json, holding the count of tickets left. Each round the
parent writes a fresh one with TICKETS tickets and starts BUYERS buyer processes. A buyer reads
the count, waits a simulated network delay, and if a ticket was left writes the count minus one
back and appends one line to sales.log: the sale it believes it made. The log is emptied
once, at start, so it keeps every round; its lines say which round and which buyer.

nolock  the buyers run at the same time, unprotected: several read the same count, and more
        buyers believe they bought than there were tickets.
lock    one multiprocessing.Lock held from reading the count to writing it back.
join    no lock; the parent starts a buyer and joins it before it starts the next one.

A race depends on timing, so the parent plays up to ROUNDS rounds and stops after the first one
that oversold. It exits with status 1 if a buyer failed, 0 otherwise.
"""

import contextlib
import json
import multiprocessing
import os
import sys
import time

# In the working directory: the lab's own, in a container and in place alike.
TICKETS_FILE = "tickets.json"
SALES_LOG = "sales.log"
NETWORK_DELAY = 0.1  # seconds between reading the count and writing it back: the race window


def read_count() -> int:
    with open(TICKETS_FILE) as f:
        return json.load(f)["count"]


def write_count(count: int) -> None:
    """Replace the ticket file at once (write a copy, rename it over the original).

    A reader then sees the old file or the new one, never a half-written one: the race shown
    here is the lost update of read-modify-write, not a torn read that would crash a buyer.
    """
    copy = f"{TICKETS_FILE}.{os.getpid()}"
    with open(copy, "w") as f:
        f.write(json.dumps({"count": count}) + "\n")
    os.replace(copy, TICKETS_FILE)


def record_sale(round_: int, buyer: int, seen: int) -> None:
    """Append one line with a single O_APPEND write: lines written at the same moment never mix."""
    line = f"round {round_} buyer {buyer} pid {os.getpid()}: saw {seen} left, bought one\n"
    fd = os.open(SALES_LOG, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line.encode())
    finally:
        os.close(fd)


def buy(round_: int, buyer: int, lock) -> None:
    """One buyer: read the count, wait for the network, and buy if a ticket was left."""
    with lock:
        count = read_count()
        time.sleep(NETWORK_DELAY)
        if count > 0:
            write_count(count - 1)
            record_sale(round_, buyer, count)


def play_round(context, mode: str, round_: int, buyers: int, tickets: int) -> bool:
    """One round with a fresh ticket file; True when every buyer exited normally."""
    write_count(tickets)
    lock = context.Lock() if mode == "lock" else contextlib.nullcontext()
    processes = [context.Process(target=buy, args=(round_, i, lock)) for i in range(buyers)]
    if mode == "join":
        for process in processes:
            process.start()
            process.join()  # the next buyer starts only when this one has finished
    else:
        for process in processes:
            process.start()
        for process in processes:
            process.join()
    return all(process.exitcode == 0 for process in processes)


def sales_in(round_: int) -> int:
    with open(SALES_LOG) as f:
        return sum(line.startswith(f"round {round_} ") for line in f)


if __name__ == "__main__":
    mode, (buyers, tickets, rounds) = sys.argv[1], map(int, sys.argv[2:5])
    # Ask for fork: from Python 3.14 the Linux default is forkserver, and the buyers would not
    # be children of this process.
    context = multiprocessing.get_context("fork")
    open(SALES_LOG, "w").close()
    for round_ in range(1, rounds + 1):
        if not play_round(context, mode, round_, buyers, tickets):
            print(f"round {round_}: a buyer failed", flush=True)
            sys.exit(1)
        sold = sales_in(round_)
        print(f"round {round_}: {buyers} buyers, {tickets} tickets: {sold} sales logged, "
              f"the ticket file says {read_count()} left", flush=True)
        if sold > tickets:
            print(f"round {round_} oversold: stopping here", flush=True)
            break
