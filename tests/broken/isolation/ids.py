"""Broken on purpose: the child measures copies of the objects -- what it would get through a
pipe -- not the objects it has from its parent. Under fork the lab must fail: it cannot observe
every id in the child equal to the parent's.
"""

import json
import multiprocessing
import os
import pickle
import signal
import sys

OBJECTS = {"100": 100, "None": None, "257": 257, "10**20": 10**20,
           "[1, 2, 3]": [1, 2, 3], "'hello, world'": "hello, world"}


def measure(objects):
    with open(f"/tmp/ids.{os.getpid()}", "w") as f:
        json.dump({name: id(value) for name, value in objects.items()}, f)


def child(conn):
    measure(pickle.loads(pickle.dumps(OBJECTS)))
    conn.recv()


if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
    context = multiprocessing.get_context(sys.argv[1])
    measure(OBJECTS)
    here, there = context.Pipe()
    process = context.Process(target=child, args=(there,))
    process.start()
    signal.sigwaitinfo({signal.SIGUSR1})
    here.send("go")
    process.join()
