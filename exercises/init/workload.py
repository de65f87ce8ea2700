"""The programs the grader runs under your init (as CMD). Run them yourself to try your init.

    python3 workload.py orphans N --exit C   make N orphans (they end after 0.3-0.5 s), wait until
                                             all have ended, hold 1.5 s, exit with status C
    python3 workload.py work S --exit C      work for S seconds, exit with status C
    python3 workload.py catch TERM --exit C  wait for SIGTERM (or INT: SIGINT), exit with status C
                                             on it; without it, give up after 4 s with status 1

The workload shows what it is doing in its signal masks, which the grader reads in
/proc/PID/status (SigBlk, SigIgn):

* ready (catch mode, once its handler is installed): SIGUSR1 blocked. The grader sends the
  signal to PID 1 only then: a Python program catches SIGINT from its start, so catching is no
  sign of being ready.
* finishing (every mode, the last 0.6 s before it exits): SIGUSR2 blocked, SIGUSR1 not.
* got the signal (catch mode): the signal it waited for is ignored from then on.

The orphans are `sleep` processes: each is forked by a child that exits at once, so the orphan
is reparented to PID 1, which must reap it when it ends.
"""

import os
import signal
import sys
import time

FINISH = 0.6  # seconds from the "finishing" mark (SIGUSR2 blocked) to the exit
HOLD = 1.5  # orphans mode: seconds between the last orphan's end and the finishing mark
GIVE_UP = 4.0  # catch mode: seconds to wait for the signal


def finish(code: int) -> None:
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGUSR1})
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR2})
    time.sleep(FINISH)
    sys.stdout.flush()
    os._exit(code)


def orphans(count: int, code: int) -> None:
    done_r, done_w = os.pipe()  # every orphan holds the write end: EOF when all have ended
    for i in range(count):
        lifetime = 0.3 + 0.2 * i / max(count - 1, 1)
        child = os.fork()
        if child == 0:
            if os.fork() == 0:  # the grandchild: an orphan as soon as its parent exits
                os.close(done_r)
                os.set_inheritable(done_w, True)
                os.execvp("sleep", ["sleep", f"{lifetime:.2f}"])
            os._exit(0)  # the child exits at once: its child is reparented to PID 1
        os.waitpid(child, 0)  # the workload reaps its own children; the orphans are the init's job
    os.close(done_w)
    print(f"workload: {count} orphans started", flush=True)
    while os.read(done_r, 1):
        pass
    print(f"workload: the orphans have ended; exiting with status {code} in {HOLD + FINISH:g} s", flush=True)
    time.sleep(HOLD)
    finish(code)


def work(seconds: float, code: int) -> None:
    time.sleep(seconds)
    print(f"workload: exiting with status {code}", flush=True)
    finish(code)


def catch(name: str, code: int) -> None:
    signum = getattr(signal, "SIG" + name)

    def caught(*_):
        signal.signal(signum, signal.SIG_IGN)
        print(f"workload: got SIG{name}; exiting with status {code}", flush=True)
        finish(code)

    signal.signal(signum, caught)
    print(f"workload: waiting for SIG{name}", flush=True)  # before the mark: the handler prints too
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})  # the mark: ready
    deadline = time.monotonic() + GIVE_UP
    while (left := deadline - time.monotonic()) > 0:
        time.sleep(left)  # a signal interrupts the sleep: its handler runs and never returns
    print(f"workload: no SIG{name} arrived within {GIVE_UP:g} s; exiting with status 1", flush=True)
    finish(1)


def main(argv: list) -> None:
    # the marks mean something only if they were not inherited: start with both unblocked
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGUSR1, signal.SIGUSR2})
    if len(argv) != 4 or argv[2] != "--exit":
        sys.exit(__doc__)
    mode, value, code = argv[0], argv[1], int(argv[3])
    if mode == "orphans":
        orphans(int(value), code)
    elif mode == "work":
        work(float(value), code)
    elif mode == "catch" and value in ("TERM", "INT"):
        catch(value, code)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
