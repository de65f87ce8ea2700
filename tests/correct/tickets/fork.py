# style: get_context("fork"): a ctx.Lock() around read-wait-write, all buyers started, then all joined
import json
import multiprocessing
import os
import time


def buyer(i, lock, delay):
    with lock:
        with open("tickets.json") as f:
            count = json.load(f)["count"]
        time.sleep(delay)
        if count > 0:
            with open("tickets.json", "w") as f:
                json.dump({"count": count - 1}, f)
            print(f"buyer {i} got a ticket")
        else:
            print(f"buyer {i} sold out")


if __name__ == "__main__":
    ctx = multiprocessing.get_context("fork")
    lock = ctx.Lock()
    delay = float(os.environ["DELAY"])
    buyers = [ctx.Process(target=buyer, args=(i, lock, delay)) for i in range(int(os.environ["BUYERS"]))]
    for b in buyers:
        b.start()
    for b in buyers:
        b.join()
