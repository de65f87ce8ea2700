# style: get_context("fork"): consumers started first, one None sentinel per consumer once the producers are joined
import multiprocessing
import os


def producer(q, p, items):
    for k in range(items):
        q.put(p * 1000 + k)


def consumer(q):
    while True:
        item = q.get()
        if item is None:
            break
        print(f"consumed {item}")


if __name__ == "__main__":
    ctx = multiprocessing.get_context("fork")
    n_producers = int(os.environ["PRODUCERS"])
    items = int(os.environ["ITEMS"])
    n_consumers = int(os.environ["CONSUMERS"])
    q = ctx.Queue(maxsize=5)
    consumers = [ctx.Process(target=consumer, args=(q,)) for _ in range(n_consumers)]
    for c in consumers:
        c.start()
    producers = [ctx.Process(target=producer, args=(q, p, items)) for p in range(n_producers)]
    for p in producers:
        p.start()
    for p in producers:
        p.join()
    for _ in range(n_consumers):
        q.put(None)
    for c in consumers:
        c.join()
