"""One producer and one consumer on a Pipe; the consumer stops at EOFError.

    python3 pipe_prodcons.py ITEMS LOG

Pipe(duplex=False) gives (receiving end, sending end). Under fork every process inherits a copy
of both, and recv() raises EOFError only when *every* copy of the sending end is closed: so the
consumer closes its copy, the parent closes its own, and the producer closes its end when it is
done. Forget one of them and the consumer blocks in recv() forever.

The producer waits for the lab (SIGUSR1, blocked by the parent before the fork) before it sends.
Every event is one line appended to LOG, as in queue_prodcons.py.
"""

import multiprocessing
import os
import signal
import sys
import time

PRODUCE_SECONDS = 0.1
CONSUME_SECONDS = 0.2


def log(path, what, thing):
    """Append "<what> <thing> by <pid>" to the log with one write() (O_APPEND), and print it."""
    line = f"{what} {thing} by {os.getpid()}\n"
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line.encode())
    finally:
        os.close(fd)
    print(line, end="", flush=True)


def producer(receiving, sending, items, log_path):
    receiving.close()  # not needed for EOF: so that send() fails if the consumer dies
    log(log_path, "started", "producer")
    signal.sigwaitinfo({signal.SIGUSR1})
    for n in range(1, items + 1):
        time.sleep(PRODUCE_SECONDS)
        bun = f"bun-1-{n}"
        log(log_path, "produced", bun)
        sending.send(bun)
    sending.close()


def consumer(receiving, sending, log_path):
    sending.close()  # our inherited copy: while it is open, recv() can never raise EOFError
    log(log_path, "started", "consumer")
    while True:
        try:
            bun = receiving.recv()
        except EOFError:
            break
        time.sleep(CONSUME_SECONDS)
        log(log_path, "consumed", bun)
    log(log_path, "got", "EOFError")


if __name__ == "__main__":
    items, log_path = int(sys.argv[1]), sys.argv[2]
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
    context = multiprocessing.get_context("fork")  # explicit: 3.14 defaults to forkserver
    receiving, sending = context.Pipe(duplex=False)
    workers = [context.Process(target=consumer, args=(receiving, sending, log_path)),
               context.Process(target=producer, args=(receiving, sending, items, log_path))]
    for process in workers:
        process.start()
    receiving.close()
    sending.close()  # the parent's copy of the sending end
    for process in workers:
        process.join()
    sys.exit(0 if all(process.exitcode == 0 for process in workers) else 1)
