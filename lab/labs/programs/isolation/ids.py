"""id() of the same objects in a parent and in its child: python3 ids.py fork|spawn|forkserver

In CPython, id() is an object's address in the memory of its process. The parent measures the
objects below, starts one child with the start method given, and the child measures the objects
of the same names in its own memory. Each writes its measurement, with the version of the python3
that runs it, to ids.<its PID> in its working directory, where the lab reads it from outside, and
the parent prints both side by side.

fork        the child is a copy of the parent: the same objects at the same addresses.
spawn       the child is a new python3 that runs this file again, and so makes new objects.
forkserver  the child is forked from a server process, itself a new python3: new objects too.

The child then stays alive on the pipe, so that the lab sees it in the process table, until the
parent, told by SIGUSR1, lets it go.
"""

import json
import multiprocessing
import os
import signal
import sys

# Made by every process that runs this file -- a forked child does not run it, it has a copy.
OBJECTS = {
    "100": 100,  # a small int, from the cache of -5..256: part of python3 itself from CPython 3.11
    "None": None,  # no int at all, but part of python3 itself in every version
    "257": 257,  # the first int outside the cache
    "10**20": 10**20,
    "[1, 2, 3]": [1, 2, 3],
    "'hello, world'": "hello, world",
}


def measure() -> dict:
    """id() of every object, also written to ids.<PID> in the working directory, with the version
    of Python: where the small ints live depends on it."""
    ids = {name: id(value) for name, value in OBJECTS.items()}
    with open(f"ids.{os.getpid()}", "w") as f:
        json.dump({"python": sys.version_info[:2], "ids": ids}, f)
    return ids


def child(conn):
    conn.send((os.getpid(), os.getppid(), measure()))
    conn.recv()  # alive until the parent lets us go


def show(method: str, mine: dict, pid: int, ppid: int, theirs: dict) -> None:
    lines = [
        f"{method}: parent PID {os.getpid()}; child PID {pid}, whose parent is PID {ppid}",
        f"{'object':<16}{'id in parent':<18}{'id in child':<18}same id?",
    ]
    for name, address in mine.items():
        same = "yes" if theirs[name] == address else "no"
        lines.append(f"{name:<16}{address:<#18x}{theirs[name]:<#18x}{same}")
    print("\n".join(lines), flush=True)


if __name__ == "__main__":
    method = sys.argv[1]
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
    context = multiprocessing.get_context(method)
    mine = measure()
    here, there = context.Pipe()
    process = context.Process(target=child, args=(there,))
    process.start()
    show(method, mine, *here.recv())
    signal.sigwaitinfo({signal.SIGUSR1})
    here.send("go")
    process.join()
