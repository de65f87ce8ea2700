"""Daemon and non-daemon children when the main code ends.

The parent starts a daemon child (daemon = True, set before start()) and waits for the lab. The
lab moves things on with SIGUSR1:

1. to the daemon: it tries to start a child of its own, which multiprocessing refuses;
2. to the parent: it starts a worker, an ordinary (non-daemon) child, and tries to make it a
   daemon after start(), which multiprocessing refuses too;
3. to the parent: its main code ends. What runs next is multiprocessing's exit handler, not
   this file: it sends SIGTERM to the daemon, then joins every child, so the parent stays alive
   as long as the worker does;
4. to the worker: it ends, and so does the parent.

The lab then runs it again and kills the parent with SIGKILL before any of this: no exit handler
runs, and the daemon lives on, an orphan.

"Daemon" here means only "terminated by the exit handler when the main process ends by itself":
no double fork, no setsid().
"""

import multiprocessing
import os
import signal
import time

# Ask for fork: from Python 3.14 the Linux default is forkserver, whose children belong to the
# server process, not to this parent.
fork = multiprocessing.get_context("fork")


def wait_for_the_lab():
    signal.sigwaitinfo({signal.SIGUSR1})


def say(who, text):
    print(f"{who} {os.getpid()}: {text}", flush=True)


def work_forever():
    """Stands for background work that never ends by itself (a heartbeat, a cache refresher)."""
    while True:
        time.sleep(60)


def daemon():
    say("daemon", "started; I run until my parent's exit handler terminates me")
    wait_for_the_lab()
    try:
        fork.Process(target=work_forever).start()
    except AssertionError as error:
        say("daemon", f"I cannot start a child: {type(error).__name__}: {error}")
    work_forever()


def worker():
    say("worker", "started; I end when the lab tells me to")
    wait_for_the_lab()
    say("worker", "my work is done, I exit")


if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})  # the children inherit the mask
    helper = fork.Process(target=daemon)
    helper.daemon = True  # before start(): afterwards it is too late
    helper.start()
    say("main", f"started the daemon {helper.pid}")
    wait_for_the_lab()

    ordinary = fork.Process(target=worker)
    ordinary.start()
    say("main", f"started the worker {ordinary.pid}")
    try:
        ordinary.daemon = True
    except AssertionError as error:
        say("main", f"worker.daemon = True after start(): {type(error).__name__}: {error}")
    wait_for_the_lab()

    say("main", "this is the last line of my code")
