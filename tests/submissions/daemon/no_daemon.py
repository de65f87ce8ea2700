# mistake: the ticker is not a daemon, so at exit the main program waits for it forever
# fails: ends_by_itself nothing_outlives_main exits_with_status_0
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
    worker = multiprocessing.Process(target=work)
    ticker.start()
    worker.start()
    worker.join()
    print("worker done")
