"""A parent that makes a zombie and keeps it until told to reap it.

The lab moves it on with SIGUSR1: the first one makes it join (reap) the child, the second one
makes it exit. Between the two, nothing in the parent touches the child: no join(), no
is_alive(), no active_children() -- each of those calls waitpid() and would reap it.
"""

import multiprocessing
import os
import signal


def child():
    print(f"child  {os.getpid()}: my work is done, I exit now", flush=True)


def wait_for_the_lab():
    signal.sigwaitinfo({signal.SIGUSR1})


if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
    # Ask for fork: from Python 3.14 the Linux default is forkserver, whose children belong to
    # the server process, not to us -- no zombie would ever appear under this parent.
    process = multiprocessing.get_context("fork").Process(target=child)
    process.start()
    print(f"parent {os.getpid()}: started child {process.pid}; I do not wait for it", flush=True)
    wait_for_the_lab()
    process.join()
    print(f"parent {os.getpid()}: join() reaped child {process.pid}, exitcode {process.exitcode}", flush=True)
    wait_for_the_lab()
