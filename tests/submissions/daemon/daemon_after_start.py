# mistake: sets daemon = True after start() (AssertionError; the ticker stays non-daemonic and the main program hangs at exit)
# fails: runs_side_by_side daemon_ticks prints_worker_done ends_by_itself nothing_outlives_main exits_with_status_0
import multiprocessing
import time


def tick():
    while True:
        print("tick", flush=True)
        time.sleep(0.1)


def work():
    time.sleep(1)


if __name__ == "__main__":
    ticker = multiprocessing.Process(target=tick)
    ticker.start()
    ticker.daemon = True  # AssertionError: process has already started
    worker = multiprocessing.Process(target=work)
    worker.start()
    worker.join()
    print("worker done")
