# mistake: starts the consumers only after joining the producers: with maxsize=5 the producers block in put() for ever
# fails: every_consumer_stops consumes_every_item_once consumers_run_at_the_same_time nothing_left_behind exits_with_status_0
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
    producers = [multiprocessing.Process(target=produce, args=(queue, p, items)) for p in range(producers_count)]
    for producer in producers:
        producer.start()
    for producer in producers:
        producer.join()  # never returns: nobody takes items out of the full queue
    consumers = [multiprocessing.Process(target=consume, args=(queue,)) for _ in range(consumers_count)]
    for consumer in consumers:
        consumer.start()
    for _ in consumers:
        queue.put(None)
    for consumer in consumers:
        consumer.join()
