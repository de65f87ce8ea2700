# mistake: the buyers are threads of one process, not processes
# fails: buyers_are_processes buyers_alive_together
import json
import os
import threading
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
    lock = threading.Lock()
    threads = [threading.Thread(target=buy, args=(i, lock, delay)) for i in range(buyers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
