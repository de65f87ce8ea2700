# mistake: calls run() instead of start() for the consumers: they all run one after the other in the main process
# fails: consumers_run_at_the_same_time
import multiprocessing
import os


def produce(queue, p, items):
    for k in range(items):
        queue.put(p * 1000 + k)


def consume(queue, taken, total):
    while True:
        with taken.get_lock():  # reserve one item, unless every item is reserved already
            if taken.value == total:
                return
            taken.value += 1
        print(f"consumed {queue.get()}")


if __name__ == "__main__":
    producers_count, items, consumers_count = (int(os.environ[v]) for v in ("PRODUCERS", "ITEMS", "CONSUMERS"))
    queue = multiprocessing.Queue(maxsize=5)
    taken = multiprocessing.Value("i", 0)
    total = producers_count * items
    producers = [multiprocessing.Process(target=produce, args=(queue, p, items)) for p in range(producers_count)]
    consumers = [multiprocessing.Process(target=consume, args=(queue, taken, total)) for _ in range(consumers_count)]
    for producer in producers:
        producer.start()
    for consumer in consumers:
        consumer.run()  # should be start(): run() calls consume() here, in the main process
    for producer in producers:
        producer.join()
