"""Broken: the children print a PID that was read before they were forked.

`PID` is computed once, in the parent, at import time; a forked child inherits the variable, not
a fresh value, so both children print the parent's PID. The printed PIDs no longer match the
process table.
"""

import multiprocessing
import os
import signal

PID = os.getpid()


def wait_for_the_lab():
    signal.sigwaitinfo({signal.SIGUSR1})


def introduce(who):
    print(f"{who}: PID {PID}, PPID {os.getppid()}", flush=True)


def child(number):
    introduce(f"child {number}")
    wait_for_the_lab()


if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
    introduce("parent")
    fork = multiprocessing.get_context("fork")
    children = [fork.Process(target=child, args=(number,)) for number in (1, 2)]
    for process in children:
        process.start()
    wait_for_the_lab()
    for process in children:
        process.join()
