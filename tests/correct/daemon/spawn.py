# style: get_context("spawn"): the daemon attribute set before start(), the worker started first
import multiprocessing
import sys
import time


def tick():
    while True:
        print("tick")
        sys.stdout.flush()
        time.sleep(0.1)


def work():
    time.sleep(1.0)


if __name__ == "__main__":
    ctx = multiprocessing.get_context("spawn")
    worker = ctx.Process(target=work)
    ticker = ctx.Process(target=tick)
    ticker.daemon = True  # must be set before start()
    worker.start()
    ticker.start()
    worker.join()
    print("worker done")
