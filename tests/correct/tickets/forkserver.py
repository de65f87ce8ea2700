# style: get_context("forkserver"): buyers forked by the fork server, the lock acquired and released by hand
import json
import multiprocessing
import os
import time


def buy(i, lock, delay):
    lock.acquire()
    try:
        with open("tickets.json") as f:
            count = json.load(f)["count"]
        time.sleep(delay)
        if count > 0:
            with open("tickets.json", "w") as f:
                json.dump({"count": count - 1}, f)
            print(f"buyer {i} got a ticket")
        else:
            print(f"buyer {i} sold out")
    finally:
        lock.release()


def main():
    ctx = multiprocessing.get_context("forkserver")
    lock = ctx.Lock()
    delay = float(os.environ["DELAY"])
    buyers = [ctx.Process(target=buy, args=(i, lock, delay)) for i in range(int(os.environ["BUYERS"]))]
    for buyer in buyers:
        buyer.start()
    for buyer in buyers:
        buyer.join()


if __name__ == "__main__":
    main()
