"""Reference solution: BUYERS buyer processes at once; a Lock makes read-wait-write one step."""

import json
import multiprocessing
import os
import time


def buy(i, lock, delay):
    with lock:  # the critical section: from reading the count to writing it back
        with open("tickets.json") as f:
            count = json.load(f)["count"]
        time.sleep(delay)  # simulated network latency
        if count > 0:
            with open("tickets.json", "w") as f:
                json.dump({"count": count - 1}, f)
            print(f"buyer {i} got a ticket", flush=True)
        else:
            print(f"buyer {i} sold out", flush=True)


if __name__ == "__main__":
    buyers = int(os.environ["BUYERS"])
    delay = float(os.environ["DELAY"])
    lock = multiprocessing.Lock()
    processes = [multiprocessing.Process(target=buy, args=(i, lock, delay)) for i in range(buyers)]
    for p in processes:
        p.start()  # every buyer runs at once: only the part under the lock takes turns
    for p in processes:
        p.join()
