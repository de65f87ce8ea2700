# style: multiprocessing with get_context("fork"); the kernel reaps the Process children, whose exitcode stays None
import errno
import multiprocessing
import os
import signal
import time


def nothing():
    pass


if __name__ == "__main__":
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    context = multiprocessing.get_context("fork")
    for _ in range(10):
        context.Process(target=nothing).start()
    time.sleep(1)
    try:
        os.wait()
    except ChildProcessError as error:
        print(f"no children: {errno.errorcode[error.errno]}")
