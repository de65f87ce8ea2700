# mistake: numbers the buyers 1 to BUYERS instead of 0 to BUYERS-1
# fails: every_buyer_reports none_oversold
import json
import multiprocessing
import os
import time


def buy(i, lock, delay):
    with lock:
        with open("tickets.json") as f:
            count = json.load(f)["count"]
        time.sleep(delay)
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
    processes = [multiprocessing.Process(target=buy, args=(i, lock, delay)) for i in range(1, buyers + 1)]
    for p in processes:
        p.start()
    for p in processes:
        p.join()
