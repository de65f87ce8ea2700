# style: get_context("forkserver"): consumers started before producers, all joined in the end
import multiprocessing
import os


def produce(queue, p, items):
    for k in range(items):
        queue.put(p * 1000 + k)


def consume(queue):
    while True:
        n = queue.get()
        if n is None:
            return
        print(f"consumed {n}")


def main():
    ctx = multiprocessing.get_context("forkserver")
    producers = int(os.environ["PRODUCERS"])
    items = int(os.environ["ITEMS"])
    consumers = int(os.environ["CONSUMERS"])
    queue = ctx.Queue(maxsize=5)
    consuming = [ctx.Process(target=consume, args=(queue,)) for _ in range(consumers)]
    producing = [ctx.Process(target=produce, args=(queue, p, items)) for p in range(producers)]
    for process in consuming:
        process.start()
    for process in producing:
        process.start()
    for process in producing:
        process.join()
    for _ in consuming:
        queue.put(None)
    for process in consuming:
        process.join()


if __name__ == "__main__":
    main()
