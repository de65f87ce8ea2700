"""Pipe() is two-way: python3 duplex.py

The parent keeps one end, its child uses the other. The child waits in recv() on its end. When
the lab sends SIGUSR1, the parent sends on its end; the child answers on the very end it received
on, and the parent receives the answer on the very end it sent on. Then the parent keeps its
exited child (a zombie: the lab reads its exit status) until the next SIGUSR1, and joins it.
"""

import multiprocessing
import os
import signal


def answer(there):
    question = there.recv()
    there.send(question.upper())
    print(f"child  {os.getpid()}: received {question!r} on fd {there.fileno()}, "
          f"sent back {question.upper()!r} on the same end", flush=True)


def wait_for_the_lab():
    signal.sigwaitinfo({signal.SIGUSR1})


if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
    # Ask for fork: from Python 3.14 the Linux default is forkserver, whose children are not ours.
    context = multiprocessing.get_context("fork")
    here, there = context.Pipe()
    print(f"parent {os.getpid()}: Pipe() ends: fd {here.fileno()} and fd {there.fileno()}", flush=True)
    child = context.Process(target=answer, args=(there,))
    child.start()
    wait_for_the_lab()
    here.send("ping")
    print(f"parent {os.getpid()}: sent 'ping' on fd {here.fileno()}, received {here.recv()!r} "
          f"on the same end", flush=True)
    wait_for_the_lab()
    child.join()
