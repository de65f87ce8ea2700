"""Daemon exercise: see README.md. This program runs, but does not do the task yet."""

import multiprocessing
import time


def tick():
    # TODO: print "tick" every 0.1 s, forever (flush=True: the grader reads your output through a pipe)
    print("tick", flush=True)


def work():
    time.sleep(1)


if __name__ == "__main__":
    # TODO: run tick() in a daemonic process (daemon=True, set before start()), beside the worker
    worker = multiprocessing.Process(target=work)
    worker.start()
    worker.join()
    print("worker done")
    # the main program ends here: do not stop the daemon yourself
