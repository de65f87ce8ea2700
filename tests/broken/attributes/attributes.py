"""Broken: the exercise program, but it stops its child with kill() (SIGKILL), not terminate().

SIGKILL cannot be blocked: the child dies at once, with exitcode -9. The lab must not observe
a SIGTERM pending for a child that is still alive.
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
    p.kill()  # the break: SIGKILL instead of SIGTERM
    alive, code = p.is_alive(), p.exitcode
    print(f"right after terminate(): p.is_alive() = {alive}, p.exitcode = {code}", flush=True)
    wait_for_the_lab()
    p.join()
    print(f"after join(): p.is_alive() = {p.is_alive()}, p.exitcode = {p.exitcode}", flush=True)
