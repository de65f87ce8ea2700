"""Pipe(duplex=False) is one-way: python3 oneway.py

It returns (receive-only end, send-only end). The program sends the right way round, then the
wrong way: send() on the receive-only end, and, underneath, the system call write(2) on that
end's file descriptor. It prints what each raised, and waits for the lab (SIGUSR1) before it
exits, so that the lab can look at how the kernel opened the two ends.
"""

import errno
import multiprocessing
import os
import signal

if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
    receiver, sender = multiprocessing.get_context("fork").Pipe(duplex=False)
    print(f"Pipe(duplex=False) ends: fd {receiver.fileno()} and fd {sender.fileno()} "
          f"(receive-only, send-only)", flush=True)
    sender.send("hello")
    print(f"the right way round: sender.send('hello'), receiver.recv() -> {receiver.recv()!r}",
          flush=True)
    try:
        receiver.send("hello")
    except OSError as error:
        print(f"receiver.send('hello') raised {error!r}, errno {error.errno}", flush=True)
    try:
        os.write(receiver.fileno(), b"hello")
    except OSError as error:
        print(f"os.write({receiver.fileno()}, b'hello') raised {error!r}, errno "
              f"{errno.errorcode[error.errno]}", flush=True)
    signal.sigwaitinfo({signal.SIGUSR1})
