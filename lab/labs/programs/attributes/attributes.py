"""A Process's attributes: pid, name, is_alive(), terminate(), exitcode.

The lab moves the parent on with SIGUSR1:

  at start  the parent starts a child named "worker" and prints p.pid, p.name, p.is_alive()
  1st       p.terminate(), then at once p.is_alive() and p.exitcode
  2nd       p.join(), then p.is_alive() and p.exitcode again

The child runs until it is terminated, but first it finishes a piece of work during which it
holds SIGTERM blocked; it waits for the lab (SIGUSR1 to the child) to finish it. A SIGTERM that
arrives meanwhile stays pending, and kills the child the moment it unblocks it. Without that
stretch the child would die microseconds after terminate(), and is_alive() right after
terminate() would be True only most of the time: a race.

is_alive() and exitcode call waitpid(WNOHANG): on a dead child they would reap it. Right after
terminate() they are safe, the child cannot die yet; after that the parent asks nothing until
join(), so the dead child stays a zombie for the lab to look at.
"""

import multiprocessing
import os
import signal


def wait_for_the_lab():
    signal.sigwaitinfo({signal.SIGUSR1})


def child():
    print(f"child: os.getpid() = {os.getpid()}", flush=True)
    print(f"child: current_process().name = {multiprocessing.current_process().name!r}", flush=True)
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    print("child: busy with work SIGTERM must not interrupt (SIGTERM blocked)", flush=True)
    wait_for_the_lab()
    print("child: work done, unblocking SIGTERM", flush=True)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})  # a pending SIGTERM kills us here
    while True:
        signal.pause()  # run until terminated


if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})  # the child inherits the mask
    # fork, asked for explicitly: from Python 3.14 the Linux default is forkserver, whose
    # children belong to the server, not to this parent.
    p = multiprocessing.get_context("fork").Process(target=child, name="worker")
    p.start()
    print(f"p.pid = {p.pid}", flush=True)
    print(f"p.name = {p.name!r}", flush=True)
    print(f"p.is_alive() = {p.is_alive()}", flush=True)
    wait_for_the_lab()
    p.terminate()
    alive, code = p.is_alive(), p.exitcode
    print(f"right after terminate(): p.is_alive() = {alive}, p.exitcode = {code}", flush=True)
    wait_for_the_lab()
    p.join()
    print(f"after join(): p.is_alive() = {p.is_alive()}, p.exitcode = {p.exitcode}", flush=True)
