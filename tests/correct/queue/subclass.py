# style: Process subclasses with run() (default start method), each consumer stops at its own sentinel
import multiprocessing
import os


class Producer(multiprocessing.Process):
    def __init__(self, queue, p, items):
        super().__init__()
        self.queue, self.p, self.items = queue, p, items

    def run(self):
        for k in range(self.items):
            self.queue.put(self.p * 1000 + k)


class Consumer(multiprocessing.Process):
    def __init__(self, queue):
        super().__init__()
        self.queue = queue

    def run(self):
        while (item := self.queue.get()) is not None:
            print(f"consumed {item}")


if __name__ == "__main__":
    queue = multiprocessing.Queue(maxsize=5)
    consumers = [Consumer(queue) for _ in range(int(os.environ["CONSUMERS"]))]
    producers = [Producer(queue, p, int(os.environ["ITEMS"])) for p in range(int(os.environ["PRODUCERS"]))]
    for process in consumers + producers:
        process.start()
    for process in producers:
        process.join()
    for _ in consumers:
        queue.put(None)
    for process in consumers:
        process.join()
