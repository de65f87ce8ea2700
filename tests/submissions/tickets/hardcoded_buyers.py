# mistake: ignores the BUYERS environment variable and always starts 5 buyers
# fails: buyers_are_processes buyers_alive_together every_buyer_reports none_oversold file_says_what_is_left
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
    buyers = 5
    delay = float(os.environ["DELAY"])
    lock = multiprocessing.Lock()
    processes = [multiprocessing.Process(target=buy, args=(i, lock, delay)) for i in range(buyers)]
    for p in processes:
        p.start()
    for p in processes:
        p.join()
