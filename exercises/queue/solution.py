"""Reference solution: producers and consumers around one bounded Queue, one sentinel per consumer."""

import multiprocessing
import os


def produce(queue, p, items):
    for k in range(items):
        queue.put(p * 1000 + k)  # blocks while the queue holds 5 items


def consume(queue):
    while (n := queue.get()) is not None:  # blocks while the queue is empty
        print(f"consumed {n}")


if __name__ == "__main__":
    producers_count = int(os.environ["PRODUCERS"])
    items = int(os.environ["ITEMS"])
    consumers_count = int(os.environ["CONSUMERS"])

    queue = multiprocessing.Queue(maxsize=5)
    consumers = [multiprocessing.Process(target=consume, args=(queue,)) for _ in range(consumers_count)]
    producers = [multiprocessing.Process(target=produce, args=(queue, p, items)) for p in range(producers_count)]
    for process in consumers + producers:
        process.start()
    for producer in producers:
        producer.join()
    for _ in consumers:  # everything is produced: one sentinel for *each* consumer
        queue.put(None)
    for consumer in consumers:
        consumer.join()
