"""Producers and consumers around one multiprocessing.Queue, stopped with sentinels (None).

    python3 queue_prodcons.py PRODUCERS CONSUMERS ITEMS SENTINELS LOG

The parent starts the consumers and the producers, then waits for the lab (SIGUSR1) before the
producers begin, so that the lab can see every process alive at once. Each producer makes ITEMS
buns and puts them on the queue; whichever consumer is free takes the next one. When all
producers are joined nothing more will be put, and the parent puts SENTINELS None's: a consumer
that gets None leaves its loop.

With one None per consumer they all end. With fewer, the consumers left without one block in
get() forever, and the parent in join() with them, until someone kills them. The exit status is
how many consumers did not end by themselves.

Every event is one line appended to LOG ("consumed bun-1-3 by 42"), written with a single
write() on an O_APPEND descriptor, so that lines of different processes never mix: the lab
reads the log to compare what was produced with what was consumed.
"""

import multiprocessing
import os
import signal
import sys
import time

PRODUCE_SECONDS = 0.1  # making a bun takes time...
CONSUME_SECONDS = 0.2  # ...eating one takes longer, so the consumers share the work


def log(path, what, thing):
    """Append "<what> <thing> by <pid>" to the log, and print it."""
    line = f"{what} {thing} by {os.getpid()}\n"
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line.encode())
    finally:
        os.close(fd)
    print(line, end="", flush=True)


def producer(number, items, go, queue, log_path):
    log(log_path, "started", "producer")
    go.wait()
    for n in range(1, items + 1):
        time.sleep(PRODUCE_SECONDS)
        bun = f"bun-{number}-{n}"
        log(log_path, "produced", bun)
        queue.put(bun)


def consumer(queue, log_path):
    log(log_path, "started", "consumer")
    while (bun := queue.get()) is not None:
        time.sleep(CONSUME_SECONDS)
        log(log_path, "consumed", bun)
    log(log_path, "got", "None")


if __name__ == "__main__":
    producers, consumers, items, sentinels = map(int, sys.argv[1:5])
    log_path = sys.argv[5]
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
    # Ask for fork: from Python 3.14 the Linux default is forkserver, whose children are not ours.
    context = multiprocessing.get_context("fork")
    queue, go = context.Queue(), context.Event()
    eaters = [context.Process(target=consumer, args=(queue, log_path)) for _ in range(consumers)]
    makers = [context.Process(target=producer, args=(number, items, go, queue, log_path))
              for number in range(1, producers + 1)]
    for process in eaters + makers:
        process.start()
    signal.sigwaitinfo({signal.SIGUSR1})
    go.set()
    for process in makers:
        process.join()
    # Only now is it sure that nothing more will come: an empty queue proves nothing, a
    # producer may just be slow.
    for _ in range(sentinels):
        queue.put(None)
    print(f"parent {os.getpid()}: producers joined, {sentinels} None put, joining the consumers", flush=True)
    for process in eaters:
        process.join()
    killed = [process for process in eaters if process.exitcode != 0]
    for process in killed:
        print(f"parent {os.getpid()}: consumer {process.pid} did not end by itself (exitcode {process.exitcode})", flush=True)
    sys.exit(len(killed))
