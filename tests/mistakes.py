"""Typical mistakes, each a small edit of a lab's program that must make the lab fail.

A lab that cannot fail proves nothing. Each Mistake names the program (under lab/labs/programs/), what
goes wrong, and the edits: (old, new) pairs, where `old` occurs exactly once in the program.
tests/test_labs.py applies them and runs the lab with the edited program in place of the real one.
"""

from typing import NamedTuple


def apply_edits(source: str, edits, what: str) -> str:
    """`source` with each (old, new) edit made in turn; `old` must occur exactly once."""
    for old, new in edits:
        assert source.count(old) == 1, f"{what}: the edit's text must occur once: {old!r}"
        source = source.replace(old, new)
    return source


class Mistake(NamedTuple):
    lab: str
    program: str  # relative to lab/labs/programs/
    what: str
    edits: tuple

    @property
    def id(self) -> str:
        return f"{self.lab}: {self.what}"


MISTAKES = (
    Mistake("ps", "ps/pids.py", "children print a PID read before the fork", (
        ("import signal\n", "import signal\n\nPID = os.getpid()  # read once, in the parent\n"),
        ('print(f"{who}: PID {os.getpid()}, PPID', 'print(f"{who}: PID {PID}, PPID'),
    )),
    Mistake("spawn", "spawn/two_ways.py", "run() where start() was meant", (
        ("    first.start()\n", "    first.run()\n"),
    )),
    Mistake("isolation", "isolation/globals.py", "n kept in shared memory, so the parent sees the change", (
        ("n = 100\n", 'n = multiprocessing.get_context("fork").Value("i", 100)\n'),
        ('f.write(f"{n}\\n")', 'f.write(f"{n.value}\\n")'),
        ("    global n\n    n = 0\n", "    n.value = 0\n"),
    )),
    Mistake("isolation", "isolation/ids.py", "the child measures copies, as if they came through a pipe", (
        ("def child(conn):\n", "def child(conn):\n    OBJECTS.update(pickle.loads(pickle.dumps(OBJECTS)))\n"),
        ("import json\n", "import json\nimport pickle\n"),
    )),
    Mistake("join", "join/together.py", "each child joined right after its start", (
        ("        child.start()\n    for child in children:\n        child.join()\n",
         "        child.start()\n        child.join()\n"),
    )),
    Mistake("join", "join/one_by_one.py", "every child started before any is joined", (
        ("    for seconds in sys.argv[1:]:\n"
         "        child = context.Process(target=work, args=(float(seconds),))\n"
         "        child.start()\n"
         "        child.join()\n",
         "    children = [context.Process(target=work, args=(float(s),)) for s in sys.argv[1:]]\n"
         "    for child in children:\n"
         "        child.start()\n"
         "    for child in children:\n"
         "        child.join()\n"),
    )),
    Mistake("attributes", "attributes/attributes.py", "kill() (SIGKILL) instead of terminate()", (
        ("    p.terminate()\n", "    p.kill()\n"),
    )),
    Mistake("zombie", "zombie/zombie.py", "the parent joins at once: no zombie is kept", (
        ("    first.start()\n", "    first.start()\n    first.join()\n"),
    )),
    Mistake("orphan", "orphan/orphan.py", "the parent waits for its child, which is never orphaned", (
        ('    print(f"parent {os.getpid()}: exiting without waiting for child {pid}", flush=True)\n',
         "    os.wait()\n"),
    )),
    Mistake("reap", "reap/reap.py", "SIGCHLD is never set to SIG_IGN", (
        ("        signal.signal(signal.SIGCHLD, signal.SIG_IGN)\n", "        pass\n"),
    )),
    Mistake("init", "init/orphans.py", "the parent waits for its children, so the reaper adopts nobody", (
        ('    print(f"parent {os.getpid()}: started {sys.argv[1]} children, exiting without waiting", flush=True)\n',
         "    for _ in range(int(sys.argv[1])):\n        os.wait()\n"),
    )),
    Mistake("daemon", "daemon/daemon.py", "the worker is made a daemon too", (
        ("    ordinary = fork.Process(target=worker)\n",
         "    ordinary = fork.Process(target=worker)\n    ordinary.daemon = True\n"),
    )),
    Mistake("lock", "lock/tickets.py", "the lock covers the write, not the read", (
        ("    with lock:\n"
         "        count = read_count()\n"
         "        time.sleep(NETWORK_DELAY)\n"
         "        if count > 0:\n"
         "            write_count(count - 1)\n"
         "            record_sale(round_, buyer, count)\n",
         "    count = read_count()\n"
         "    time.sleep(NETWORK_DELAY)\n"
         "    if count > 0:\n"
         "        with lock:\n"
         "            write_count(count - 1)\n"
         "            record_sale(round_, buyer, count)\n"),
    )),
    Mistake("queue", "queue/shelf.py", "a Queue without maxsize never blocks a put()", (
        ("context.Queue(maxsize=room)", "context.Queue()"),
    )),
    Mistake("queue", "queue/sale.py", "the stock is a list: each forked buyer has its own copy", (
        ("        band = stock.get(timeout=patience)\n    except queue.Empty:\n",
         "        band = stock.pop(0)\n    except IndexError:\n"),
        ("    stock = context.Queue()\n    for n in range(1, bands + 1):\n        stock.put(f\"wristband-{n}\")\n",
         "    stock = [f\"wristband-{n}\" for n in range(1, bands + 1)]\n"),
    )),
    Mistake("pipe", "pipe/duplex.py", "Pipe(duplex=False) where a two-way pipe was needed", (
        ("context.Pipe()", "context.Pipe(duplex=False)"),
    )),
    Mistake("pipe", "pipe/eof.py", "the child keeps its inherited copy of the send end", (
        ("        sender.close()  # the copy this child inherited: it never sends, so it must not hold one\n",
         "        pass\n"),
    )),
    Mistake("prodcons", "prodcons/queue_prodcons.py", "one sentinel for several consumers", (
        ("    for _ in range(sentinels):\n        queue.put(None)\n", "    queue.put(None)\n"),
    )),
    Mistake("prodcons", "prodcons/pipe_prodcons.py", "the parent keeps its copy of the sending end", (
        ("    sending.close()  # the parent's copy of the sending end\n", ""),
    )),
)
