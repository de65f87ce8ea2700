# style: get_context("spawn"): the queue passed to every process as an argument, a "STOP" sentinel per consumer
import multiprocessing
import os

STOP = "STOP"


def produce(queue, p, items):
    for k in range(items):
        queue.put(p * 1000 + k)


def consume(queue):
    for item in iter(queue.get, STOP):
        print("consumed", item, flush=True)


if __name__ == "__main__":
    ctx = multiprocessing.get_context("spawn")
    producers_count = int(os.environ["PRODUCERS"])
    items = int(os.environ["ITEMS"])
    consumers_count = int(os.environ["CONSUMERS"])
    queue = ctx.Queue(maxsize=5)
    producers = [ctx.Process(target=produce, args=(queue, p, items)) for p in range(producers_count)]
    consumers = [ctx.Process(target=consume, args=(queue,)) for _ in range(consumers_count)]
    for process in producers + consumers:
        process.start()
    for process in producers:
        process.join()
    for _ in consumers:
        queue.put(STOP)
    for process in consumers:
        process.join()
