# mistake: puts a single None for several consumers: the others wait in get() for ever
# fails: every_consumer_stops consumes_every_item_once nothing_left_behind exits_with_status_0
import multiprocessing
import os


def produce(queue, p, items):
    for k in range(items):
        queue.put(p * 1000 + k)


def consume(queue):
    while (n := queue.get()) is not None:
        print(f"consumed {n}")


if __name__ == "__main__":
    producers_count, items, consumers_count = (int(os.environ[v]) for v in ("PRODUCERS", "ITEMS", "CONSUMERS"))
    queue = multiprocessing.Queue(maxsize=5)
    consumers = [multiprocessing.Process(target=consume, args=(queue,)) for _ in range(consumers_count)]
    producers = [multiprocessing.Process(target=produce, args=(queue, p, items)) for p in range(producers_count)]
    for process in consumers + producers:
        process.start()
    for producer in producers:
        producer.join()
    queue.put(None)  # one sentinel: only one consumer stops
    for consumer in consumers:
        consumer.join()
