# style: get_context("fork"): daemon=True in the constructor, the worker joined, the exit handler stops the ticker
import multiprocessing
import time


def ticker():
    while True:
        print("tick", flush=True)
        time.sleep(0.1)


def worker():
    time.sleep(1)


if __name__ == "__main__":
    ctx = multiprocessing.get_context("fork")
    ctx.Process(target=ticker, daemon=True).start()
    w = ctx.Process(target=worker)
    w.start()
    w.join()
    print("worker done", flush=True)
