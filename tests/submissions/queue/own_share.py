# mistake: instead of a sentinel, each consumer stops after its share, total // CONSUMERS items: the rest is never consumed
# fails: consumes_every_item_once
import multiprocessing
import os


def produce(queue, p, items):
    for k in range(items):
        queue.put(p * 1000 + k)


def consume(queue, share):
    for _ in range(share):
        print(f"consumed {queue.get()}")


if __name__ == "__main__":
    producers_count, items, consumers_count = (int(os.environ[v]) for v in ("PRODUCERS", "ITEMS", "CONSUMERS"))
    queue = multiprocessing.Queue(maxsize=5)
    share = producers_count * items // consumers_count  # 100 // 3 == 33: one item is left over
    consumers = [multiprocessing.Process(target=consume, args=(queue, share)) for _ in range(consumers_count)]
    producers = [multiprocessing.Process(target=produce, args=(queue, p, items)) for p in range(producers_count)]
    for process in consumers + producers:
        process.start()
    for process in producers + consumers:
        process.join()
