# style: get_context("forkserver"): both children forked by the fork server, the main program just ends
import multiprocessing
import time


def tick():
    while True:
        print("tick", flush=True)
        time.sleep(0.1)


def work():
    time.sleep(1)


def main():
    ctx = multiprocessing.get_context("forkserver")
    ticker = ctx.Process(target=tick, daemon=True)
    worker = ctx.Process(target=work)
    ticker.start()
    worker.start()
    worker.join()
    print("worker done")


if __name__ == "__main__":
    main()
