# style: get_context("spawn"): the Lock made by the same context and passed to each buyer as an argument
import json
import multiprocessing
import os
import time

FILE = "tickets.json"


def buy(i, lock, delay):
    with lock:
        with open(FILE) as f:
            data = json.load(f)
        time.sleep(delay)  # network latency
        if data["count"] > 0:
            data["count"] -= 1
            with open(FILE, "w") as f:
                json.dump(data, f)
            result = "got a ticket"
        else:
            result = "sold out"
    print(f"buyer {i} {result}", flush=True)


if __name__ == "__main__":
    ctx = multiprocessing.get_context("spawn")
    lock = ctx.Lock()
    n = int(os.environ["BUYERS"])
    delay = float(os.environ["DELAY"])
    processes = []
    for i in range(n):
        p = ctx.Process(target=buy, args=(i, lock, delay))
        p.start()
        processes.append(p)
    for p in processes:
        p.join()
