# style: Process subclasses (default start method), the ticker daemonic by its constructor
import multiprocessing
import time


class Ticker(multiprocessing.Process):
    def __init__(self):
        super().__init__(daemon=True)

    def run(self):
        while True:
            print("tick", flush=True)
            time.sleep(0.1)


class Worker(multiprocessing.Process):
    def run(self):
        time.sleep(1)


if __name__ == "__main__":
    Ticker().start()
    worker = Worker()
    worker.start()
    worker.join()
    print("worker done")
