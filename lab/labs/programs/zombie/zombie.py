"""A parent that makes zombies, and what reaps them besides join().

The lab moves it on with SIGUSR1, one step at a time:

1. it starts a first child, which exits at once: a zombie, since nothing in the parent touches it;
2. it starts a second child: start() first reaps every finished child (an internal cleanup),
   so the first zombie goes; the second child exits and is a zombie in turn;
3. it reads the second child's exitcode: that calls waitpid() too, and reaps it;
4. it starts a third child with the forkserver start method (the default from Python 3.14): its
   parent is the server; the lab tells that child to exit, and the server reaps it, so no zombie
   ever appears under this parent;
5. it exits.

join(), is_alive() and active_children() reap as well: this parent calls none of them.
"""

import multiprocessing
import os
import signal


def child():
    print(f"child  {os.getpid()}: my work is done, I exit now", flush=True)


def served():
    """The forkserver's child: it inherited SIGUSR1 blocked (through the server, which our
    parent started with it blocked), and exits when the lab says so."""
    print(f"child  {os.getpid()}: my parent is the forkserver {os.getppid()}", flush=True)
    wait_for_the_lab()


def wait_for_the_lab():
    signal.sigwaitinfo({signal.SIGUSR1})


def say(text):
    print(f"parent {os.getpid()}: {text}", flush=True)


if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
    # Ask for fork: under forkserver (the Linux default from Python 3.14) the children belong to
    # the server process, not to us -- no zombie would ever appear under this parent.
    fork = multiprocessing.get_context("fork")
    first = fork.Process(target=child)
    first.start()
    say(f"started child {first.pid}; I do not wait for it")
    wait_for_the_lab()

    second = fork.Process(target=child)
    second.start()
    say(f"started child {second.pid}; start() reaped {first.pid} first")
    wait_for_the_lab()

    say(f"child {second.pid} has exitcode {second.exitcode}: reading it reaped the child")
    wait_for_the_lab()

    third = multiprocessing.get_context("forkserver").Process(target=served)
    third.start()
    say(f"started child {third.pid} through the forkserver")
    wait_for_the_lab()
