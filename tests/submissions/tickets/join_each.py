# mistake: joins each buyer right after starting it: correct sales, but the buyers run one at a time
# fails: buyers_alive_together
import json
import multiprocessing
import os
import time


def buy(i, delay):
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
    for i in range(buyers):
        p = multiprocessing.Process(target=buy, args=(i, delay))
        p.start()
        p.join()
