"""Broken: the classic mistake, run() where start() was meant.

run() executes the process's code in the caller, so no child is ever created: `first` runs
(and waits) inside the parent, and the lab never sees two children.
"""

import multiprocessing
import os
import signal

FORK = multiprocessing.get_context("fork")


def wait_for_the_lab():
    signal.sigwaitinfo({signal.SIGUSR1})


def introduce(who):
    print(f"{who}: PID {os.getpid()}, PPID {os.getppid()}", flush=True)


def task(name):
    introduce(name)
    wait_for_the_lab()


class MyProcess(FORK.Process):
    def __init__(self, name):
        super().__init__()
        self.name = name  # Process.name, as in the tutorial

    def run(self):
        introduce(self.name)
        wait_for_the_lab()


if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
    first = FORK.Process(target=task, args=("first",))
    second = MyProcess("second")
    print(f"parent {os.getpid()}: two Process objects created, none started", flush=True)
    wait_for_the_lab()
    print(f"parent {os.getpid()}: calling second.run() directly", flush=True)
    second.run()
    first.run()  # the mistake: start() was meant
    second.start()
    wait_for_the_lab()
    second.join()
