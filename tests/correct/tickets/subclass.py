# style: a Process subclass per buyer (default start method), the shared Lock held by each Buyer object
import json
import multiprocessing
import os
import time


class Buyer(multiprocessing.Process):
    def __init__(self, number, lock, delay):
        super().__init__()
        self.number, self.lock, self.delay = number, lock, delay

    def run(self):
        with self.lock:
            with open("tickets.json") as f:
                left = json.load(f)["count"]
            time.sleep(self.delay)
            if left:
                with open("tickets.json", "w") as f:
                    f.write(json.dumps({"count": left - 1}))
        print(f"buyer {self.number} {'got a ticket' if left else 'sold out'}", flush=True)


if __name__ == "__main__":
    lock = multiprocessing.Lock()
    buyers = [Buyer(i, lock, float(os.environ["DELAY"])) for i in range(int(os.environ["BUYERS"]))]
    for buyer in buyers:
        buyer.start()
    for buyer in buyers:
        buyer.join()
