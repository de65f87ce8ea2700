# mistake: never joins the worker (the main program ends at once, and the exit handler stops the daemon right away)
# fails: runs_side_by_side daemon_ticks ends_by_itself nothing_outlives_main
import multiprocessing
import time


def tick():
    while True:
        print("tick", flush=True)
        time.sleep(0.1)


def work():
    time.sleep(1)


if __name__ == "__main__":
    ticker = multiprocessing.Process(target=tick, daemon=True)
    worker = multiprocessing.Process(target=work)
    ticker.start()
    worker.start()
    print("worker done")
