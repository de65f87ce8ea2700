"""When does recv() raise EOFError? python3 eof.py keep|close

The parent sends three messages through Pipe(duplex=False) to a child that recv()s until
EOFError. After fork, BOTH processes hold a copy of BOTH ends, and recv() raises EOFError only
once every copy of the send end is closed.

keep   nobody closes the ends it does not use. The parent sends, then waits for the lab still
       holding its send end: the child blocks in recv(). On SIGUSR1 the parent closes its send
       end at last -- the child still blocks: it holds a copy of the send end itself. The lab
       has to kill it; on the next SIGUSR1 the parent joins it.
close  each process closes the ends it does not use right after fork, and the parent closes
       its send end once it has sent: the child gets EOFError and exits 0. The parent keeps
       it (a zombie: the lab reads its exit status) until SIGUSR1, then joins it.
"""

import multiprocessing
import os
import signal
import sys


def receive(receiver, sender, careful):
    if careful:
        sender.close()  # the copy this child inherited: it never sends, so it must not hold one
    while True:
        try:
            message = receiver.recv()
        except EOFError:
            print(f"child  {os.getpid()}: recv() raised EOFError: every send end is closed", flush=True)
            return
        print(f"child  {os.getpid()}: got {message!r}", flush=True)


def wait_for_the_lab():
    signal.sigwaitinfo({signal.SIGUSR1})


if __name__ == "__main__":
    careful = sys.argv[1] == "close"
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
    # Ask for fork: from Python 3.14 the Linux default is forkserver, whose children are not ours.
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=receive, args=(receiver, sender, careful))
    child.start()
    if careful:
        receiver.close()  # the parent only sends
    for n in range(1, 4):
        sender.send(f"message {n}")
    if careful:
        sender.close()
        print(f"parent {os.getpid()}: sent 3 messages and closed my ends", flush=True)
    else:
        print(f"parent {os.getpid()}: sent 3 messages; my send end is still open", flush=True)
        wait_for_the_lab()
        sender.close()
        print(f"parent {os.getpid()}: closed my send end at last", flush=True)
    wait_for_the_lab()
    child.join()
    print(f"parent {os.getpid()}: joined the child, exitcode {child.exitcode}", flush=True)
