# style: multiprocessing with get_context("fork"): a Process whose target exits with 7, joined after 3 s
import multiprocessing
import sys
import time


def child():
    sys.exit(7)


if __name__ == "__main__":
    process = multiprocessing.get_context("fork").Process(target=child)
    process.start()
    time.sleep(3)  # no is_alive(), exitcode or join() meanwhile: each of them would reap the zombie
    process.join()
    print(f"reaped {process.pid} status {process.exitcode}")
