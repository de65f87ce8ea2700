"""The tutorial's two ways to create a process, and what start() does.

`first` is Process(target=task, args=...); `second` is a subclass that overrides run(). Neither
object is a process until start() is called: before that the table shows no child, and calling
run() directly just runs the code in the parent. The lab moves the program on with SIGUSR1:

1st  the parent calls second.run() itself (no child appears) and waits in it;
2nd  run() returns; the parent start()s both, and each child waits for its own SIGUSR1, then
     exits with code 0 -- a zombie until its parent joins it;
3rd  the parent joins both, prints their exit codes, and exits 0.
"""

import multiprocessing
import os
import signal

# fork, by name: from Python 3.14 Linux defaults to forkserver, whose children are the server's.
FORK = multiprocessing.get_context("fork")


def wait_for_the_lab():
    signal.sigwaitinfo({signal.SIGUSR1})


def introduce(who):
    print(f"{who}: PID {os.getpid()}, PPID {os.getppid()}", flush=True)


def task(name):
    """Way 1: a plain function, passed as target=."""
    introduce(name)
    wait_for_the_lab()


class MyProcess(FORK.Process):
    """Way 2: a subclass of Process; start() runs run() in the new process."""

    def __init__(self, name):
        super().__init__()
        self.name = name  # Process.name, as in the tutorial

    def run(self):
        introduce(self.name)
        wait_for_the_lab()


if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})  # inherited by the children
    first = FORK.Process(target=task, args=("first",))
    second = MyProcess("second")
    print(f"parent {os.getpid()}: two Process objects created, none started", flush=True)
    wait_for_the_lab()
    print(f"parent {os.getpid()}: calling second.run() directly", flush=True)
    second.run()
    first.start()
    second.start()
    print(f"parent {os.getpid()}: started first ({first.pid}) and second ({second.pid})", flush=True)
    wait_for_the_lab()
    first.join()
    second.join()
    print(f"parent {os.getpid()}: joined, exit codes {first.exitcode} and {second.exitcode}", flush=True)
