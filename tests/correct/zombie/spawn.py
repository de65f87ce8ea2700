# style: multiprocessing with get_context("spawn"): the child starts a fresh Python, exits 7, is joined after 3 s
import multiprocessing
import os
import time


def child():
    os._exit(7)


if __name__ == "__main__":
    process = multiprocessing.get_context("spawn").Process(target=child)
    process.start()
    time.sleep(3)  # the child needs a moment to start: 3 s leaves it a zombie for well over 2 s
    process.join()
    print(f"reaped {process.pid} status {process.exitcode}")
