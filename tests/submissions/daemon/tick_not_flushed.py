# mistake: the daemon prints without flushing: its output is a pipe, and SIGTERM at exit loses the buffer
# fails: daemon_ticks
import multiprocessing
import time


def tick():
    while True:
        print("tick")
        time.sleep(0.1)


def work():
    time.sleep(1)


if __name__ == "__main__":
    ticker = multiprocessing.Process(target=tick, daemon=True)
    worker = multiprocessing.Process(target=work)
    ticker.start()
    worker.start()
    worker.join()
    print("worker done")
