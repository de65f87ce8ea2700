# mistake: the ticker is a plain os.fork child: nothing stops it at exit, it keeps ticking under PID 1
# fails: nothing_outlives_main
import multiprocessing
import os
import time


def tick():
    while True:
        print("tick", flush=True)
        time.sleep(0.1)


def work():
    time.sleep(1)


if __name__ == "__main__":
    if os.fork() == 0:
        tick()
    worker = multiprocessing.Process(target=work)
    worker.start()
    worker.join()
    print("worker done")
