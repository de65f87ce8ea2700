"""Broken on purpose: n lives in shared memory (a multiprocessing Value), so the child's n = 0 is
the parent's n too. The lab must fail: it cannot observe /tmp/n.<parent> holding 100.
"""

import multiprocessing
import os
import signal

context = multiprocessing.get_context("fork")
n = context.Value("i", 100, lock=False)


def record():
    with open(f"/tmp/n.{os.getpid()}", "w") as f:
        f.write(f"{n.value}\n")


def work():
    n.value = 0
    record()
    signal.sigwaitinfo({signal.SIGUSR1})


if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
    process = context.Process(target=work)
    process.start()
    process.join()
    record()
