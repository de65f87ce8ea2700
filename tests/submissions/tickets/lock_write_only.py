# mistake: the lock covers the write only, not the read: every buyer still reads the same count
# fails: none_oversold file_says_what_is_left
import json
import multiprocessing
import os
import time


def buy(i, lock, delay):
    with open("tickets.json") as f:
        count = json.load(f)["count"]
    time.sleep(delay)
    with lock:
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
        p.start()
    for p in processes:
        p.join()
