"""Queue exercise: see README.md. This program runs, but does not do the task yet."""

import multiprocessing
import os


def produce(queue, p, items):
    for k in range(items):
        queue.put(p * 1000 + k)  # blocks while the queue holds 5 items


def consume(queue):
    # TODO: get items until this consumer's sentinel arrives, printing "consumed <n>" for each
    pass


if __name__ == "__main__":
    producers_count = int(os.environ["PRODUCERS"])
    items = int(os.environ["ITEMS"])
    consumers_count = int(os.environ["CONSUMERS"])

    queue = multiprocessing.Queue(maxsize=5)
    producers = [multiprocessing.Process(target=produce, args=(queue, p, items)) for p in range(producers_count)]
    for producer in producers:
        producer.start()
    # TODO: start CONSUMERS consumer processes running consume() instead of consuming here, in the main process
    for _ in range(producers_count * items):
        print(f"consumed {queue.get()}")
    for producer in producers:
        producer.join()
    # TODO: once everything is produced, tell every consumer to stop, and join them
