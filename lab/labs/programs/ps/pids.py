"""Every process has a PID, and a parent whose PID is its PPID.

The parent prints its PID and PPID, starts two children that print theirs, and then all three
wait for the lab (SIGUSR1 each) before they exit; the parent joins its children last.
"""

import multiprocessing
import os
import signal


def wait_for_the_lab():
    signal.sigwaitinfo({signal.SIGUSR1})


def introduce(who):
    print(f"{who}: PID {os.getpid()}, PPID {os.getppid()}", flush=True)


def child(number):
    introduce(f"child {number}")
    wait_for_the_lab()


if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})  # inherited by the children
    introduce("parent")
    # fork, asked for by name: from Python 3.14 Linux defaults to forkserver, whose children
    # would be the server's, not this parent's.
    fork = multiprocessing.get_context("fork")
    children = [fork.Process(target=child, args=(number,)) for number in (1, 2)]
    for process in children:
        process.start()
    wait_for_the_lab()
    for process in children:
        process.join()
