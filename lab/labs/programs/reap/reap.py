"""Reaping children three ways: python3 reap.py wait|handler|ignore N

The parent starts N children that all block on one pipe. When the lab sends SIGUSR1, the parent
closes the pipe and the N children exit at the same moment. Then:

wait     the children stay zombies until the next SIGUSR1; then os.wait() reaps each one,
         and the parent waits for a last SIGUSR1 before it exits.
handler  a SIGCHLD handler reaps them. Signals do not queue: N children exiting together may
         raise one SIGCHLD, so the handler loops waitpid(-1, WNOHANG) until nothing is left.
ignore   SIGCHLD is set to SIG_IGN: the kernel reaps them, no zombie ever exists. The last
         child does not wait on the pipe but for the lab's own SIGUSR1, so that the lab can show
         os.wait() blocking until every child has ended, and only then failing with ECHILD. On
         a last SIGUSR1 the parent shows what multiprocessing and subprocess report for a child
         that exits with 7 when SIGCHLD is ignored, and exits.
"""

import errno
import multiprocessing
import os
import signal
import subprocess
import sys


def wait_for_the_lab(handlers_run=False):
    """Until the lab sends SIGUSR1. With `handlers_run`, in slices of 50 ms: Python runs a signal's
    handler between two steps of the program, and after a blocking call. A SIGCHLD that comes
    while the handler is still running (the last child exits as it returns) waits for the next
    such moment — in one long sigwaitinfo(), until the lab's signal, a zombie in the meantime."""
    if not handlers_run:
        signal.sigwaitinfo({signal.SIGUSR1})
        return
    while signal.sigtimedwait({signal.SIGUSR1}, 0.05) is None:
        pass


reaped_by_handler = []


def reap_all(signum, frame):
    """The SIGCHLD handler. It does not print: a handler may interrupt a print() in progress."""
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return  # no children left at all
        if pid == 0:
            return  # children left, none finished
        reaped_by_handler.append((pid, os.waitstatus_to_exitcode(status)))


def what_python_reports():
    """A child that exits with 7, started by multiprocessing and by subprocess, while SIGCHLD is
    ignored. Both wait for it, get ECHILD instead of its status, and make something up: join()
    returns, exitcode stays None and is_alive() True; subprocess says 0."""
    child = multiprocessing.get_context("fork").Process(target=sys.exit, args=(7,))
    child.start()
    child.join()
    print(f"multiprocessing: child {child.pid} called sys.exit(7); join() returned, "
          f"exitcode {child.exitcode}, is_alive() {child.is_alive()}", flush=True)
    returncode = subprocess.run(["sh", "-c", "exit 7"]).returncode
    print(f"subprocess: sh -c 'exit 7' gave returncode {returncode}", flush=True)


if __name__ == "__main__":
    mode, count = sys.argv[1], int(sys.argv[2])
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
    if mode == "handler":
        signal.signal(signal.SIGCHLD, reap_all)
    elif mode == "ignore":
        signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    release, hold = os.pipe()
    for i in range(count):
        if os.fork() == 0:
            os.close(hold)
            if mode == "ignore" and i == count - 1:
                wait_for_the_lab()
            else:
                os.read(release, 1)  # blocks until the parent closes its end
            os._exit(i)
    os.close(release)
    print(f"parent {os.getpid()} ({mode}): {count} children started", flush=True)
    wait_for_the_lab()
    os.close(hold)
    print(f"parent {os.getpid()} ({mode}): closed the pipe: the children waiting on it exit now", flush=True)
    if mode == "wait":
        wait_for_the_lab()
        for _ in range(count):
            pid, status = os.wait()
            print(f"parent: os.wait() reaped {pid}, exit status {os.waitstatus_to_exitcode(status)}", flush=True)
        wait_for_the_lab()
    elif mode == "handler":
        wait_for_the_lab(handlers_run=True)
        for pid, code in reaped_by_handler:
            print(f"handler had reaped {pid}, exit status {code}", flush=True)
    elif mode == "ignore":
        print("parent: calling os.wait()", flush=True)
        try:
            os.wait()
        except ChildProcessError as error:
            print(f"parent: os.wait() failed: {errno.errorcode[error.errno]} (no children left)", flush=True)
        wait_for_the_lab()
        what_python_reports()
