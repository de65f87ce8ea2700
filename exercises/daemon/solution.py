"""Reference solution: a daemonic ticker and a worker; the ticker ends with the main program."""

import multiprocessing
import time


def tick():
    while True:
        print("tick", flush=True)  # flush: the output is a pipe, and a killed process never flushes
        time.sleep(0.1)


def work():
    time.sleep(1)  # returning normally: the worker's exit status is 0


if __name__ == "__main__":
    ticker = multiprocessing.Process(target=tick, daemon=True)  # daemon before start()
    worker = multiprocessing.Process(target=work)
    ticker.start()
    worker.start()
    worker.join()
    print("worker done")
    # no terminate(): at exit, multiprocessing terminates (SIGTERM) and joins its daemonic children
