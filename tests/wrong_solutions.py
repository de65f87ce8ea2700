"""Typical wrong solutions of the graded exercises, each the edit of the reference that makes it.

A mistake is best read as the edit that makes it: the few lines where a wrong solution differs
from exercises/EXERCISE/solution.py are the mistake, and nothing else is. Each WrongSolution
names the checks it breaks (`fails`); it is graded for real, and the grader must take exactly
the points of those checks, no more, no fewer. An exercise's mistakes take turns between the
backends, in place first (its correct programs in other styles start on Docker): on Docker in
tests/test_grading.py, in place in tests/test_in_place.py's batch of the exercise. The reference
and the starter are graded on both, which is where the backends' differences show (who the
reaper is, how the sandbox starts); `make soak` grades every mistake, on Docker, round after round.

`edits` are (old, new) pairs applied to the reference in turn, `old` occurring exactly once
(tests/mistakes.py's `apply_edits`, as for the labs' mistakes). A mistake that shares (almost)
nothing with the reference is a whole `program` instead.
"""

from pathlib import Path
from typing import NamedTuple, Optional

from lab.grading import catalog
from lab.sandbox import BACKENDS
from tests.mistakes import apply_edits


class WrongSolution(NamedTuple):
    exercise: str  # a name in lab.grading.catalog
    name: str  # as a student's file, `name`.py; the test id is f"{exercise}-{name}"
    what: str  # the mistake, in a few words
    fails: tuple  # the names of the checks it must fail, and only those
    edits: tuple = ()  # (old, new) pairs applied to exercises/EXERCISE/solution.py
    program: str = ""  # instead of edits: a whole program, for a mistake unlike the reference

    @property
    def id(self) -> str:
        return f"{self.exercise}-{self.name}"

    def source(self) -> str:
        """The program, under a comment saying what is wrong with it."""
        reference = (catalog.folder(self.exercise) / "solution.py").read_text()
        body = self.program or apply_edits(reference, self.edits, self.id)
        return f"# mistake: {self.what}\n# fails: {' '.join(self.fails)}\n{body}"

    def write(self, folder: Path, filename: Optional[str] = None) -> Path:
        """Write the program as folder/filename (by default `name`.py; the folder is created); its path."""
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / (filename or f"{self.name}.py")
        path.write_text(self.source())
        return path


W = WrongSolution

WRONG_SOLUTIONS = (
    # -- zombie ------------------------------------------------------------------------------------
    W("zombie", "exits_1", "does everything, then ends with sys.exit(1)", ("exits_with_status_0",), (
        ("import os\n", "import os\nimport sys\n"),
        ('{os.waitstatus_to_exitcode(status)}")\n', '{os.waitstatus_to_exitcode(status)}")\nsys.exit(1)\n'),
    )),
    W("zombie", "no_wait", "never waits for the child, and prints the expected line anyway",
      ("parent_reaps_it", "reports_the_reaped_child"), (
        ("reaped, status = os.waitpid(pid, 0)  # reaping removes the zombie and returns its status\n"
         'print(f"reaped {reaped} status {os.waitstatus_to_exitcode(status)}")\n',
         'print(f"reaped {pid} status 7")\n'),
    )),
    W("zombie", "short_zombie", "reaps the zombie after 0.5 s instead of 2", ("stays_a_zombie_for_2_s",), (
        ("time.sleep(2.5)", "time.sleep(0.5)"),
    )),
    W("zombie", "two_children", "forks two children instead of one",
      ("only_one_child", "stays_a_zombie_for_2_s", "parent_reaps_it", "reports_the_reaped_child"), (
        ("pid = os.fork()\nif pid == 0:\n    os._exit(7)",
         "for _ in range(2):\n    pid = os.fork()\n    if pid == 0:\n        os._exit(7)"),
        ("returns its status\n", "returns its status\nos.wait()  # the other child\n"),
    )),
    W("zombie", "wait_too_early", "waits for the child at once, so it is never a zombie for long",
      ("child_becomes_a_zombie", "only_one_child", "stays_a_zombie_for_2_s", "parent_reaps_it",
       "reports_the_reaped_child"), (
        ("time.sleep(2.5)  # now `ps` shows the child as Z <defunct>\n"
         "reaped, status = os.waitpid(pid, 0)  # reaping removes the zombie and returns its status\n",
         "reaped, status = os.waitpid(pid, 0)\ntime.sleep(2.5)\n"),
    )),
    # -- orphan ------------------------------------------------------------------------------------
    W("orphan", "child_exits_1", "the child ends with exit status 1", ("child_exits_with_status_0",), (
        ("    os._exit(0)\n", "    os._exit(1)\n"),
    )),
    W("orphan", "child_exits_late",
      "the child stays 7 s after printing, instead of exiting within 5 s of the parent's exit",
      ("child_exits_within_5_s", "child_exits_with_status_0"), (
        ("flush=True)  # flush: os._exit does not flush\n", "flush=True)\n    time.sleep(7)\n"),
    )),
    W("orphan", "main_too_slow", "the main process sleeps 1.5 s before ending (it must exit within 1 s)",
      ("main_exits_0_within_1_s",), (
        ("# the main process does not wait for its child: it simply ends, with status 0\n", "time.sleep(1.5)\n"),
    )),
    W("orphan", "main_waits",
      "uses multiprocessing and just ends: multiprocessing joins non-daemon children at exit, so the main "
      "process waits for its child",
      ("main_exits_0_within_1_s", "child_is_adopted_by_pid_1", "only_one_child", "prints_adopted_by_1",
       "child_exits_within_5_s", "child_exits_with_status_0"),
      program=(
          "import multiprocessing\n"
          "import os\n"
          "import time\n"
          "\n"
          "\n"
          "def child():\n"
          '    time.sleep(2)  # "time enough for the parent to exit" -- but the parent is waiting for this child\n'
          '    print(f"adopted by {os.getppid()}", flush=True)\n'
          "\n"
          "\n"
          'if __name__ == "__main__":\n'
          "    multiprocessing.Process(target=child).start()\n")),
    W("orphan", "prints_too_early",
      "the child prints its PPID at once, while the parent is still alive (the old PPID)", ("prints_adopted_by_1",), (
        ("    while os.getppid() == parent:  # the parent is still alive: keep watching\n        time.sleep(0.01)\n", ""),
        ("flush=True)  # flush: os._exit does not flush\n", "flush=True)\n    time.sleep(1)\n"),
        ("# the main process does not wait for its child: it simply ends, with status 0\n", "time.sleep(0.3)\n"),
    )),
    # -- reap_handler ------------------------------------------------------------------------------
    W("reap_handler", "hardcoded_print",
      "the handler only counts signals, nobody reaps; the expected line is printed anyway",
      ("reaps_promptly", "no_zombie_left", "prints_reaped_line"), (
        ("reaped = {}  # pid -> exit status, filled by the handler only\n", "signals = 0\n"),
        ('    """Reap every child that has ended: one SIGCHLD may stand for several (signals do not queue)."""\n'
         "    while True:\n"
         "        try:\n"
         "            pid, status = os.waitpid(-1, os.WNOHANG)\n"
         "        except ChildProcessError:\n"
         "            return  # no children left at all\n"
         "        if pid == 0:\n"
         "            return  # children left, none of them ended yet\n"
         "        reaped[pid] = os.waitstatus_to_exitcode(status)\n",
         "    global signals\n"
         "    signals += 1\n"),
        ("deadline = time.monotonic() + 10\n"
         "while len(reaped) < 20 and time.monotonic() < deadline:\n"
         "    time.sleep(0.01)  # the main flow never waits for a child: it only looks at the count\n"
         "if len(reaped) < 20:\n"
         '    sys.exit(f"only {len(reaped)} children reaped in 10 s")\n'
         'print(f"reaped {len(reaped)} sum {sum(reaped.values())}")\n',
         "time.sleep(1)\n"
         'print("reaped 20 sum 190")\n'),
    )),
    W("reap_handler", "late_handler", "installs the (correct) SIGCHLD handler only after forking the children",
      ("handler_before_children",), (
        ("signal.signal(signal.SIGCHLD, reap)  # before the first fork: no child can end unseen\n", ""),
        ("        os._exit(i)\n", "        os._exit(i)\nsignal.signal(signal.SIGCHLD, reap)\n"),
    )),
    W("reap_handler", "reap_once", "the handler reaps one child per SIGCHLD, so children that end together are missed",
      ("reaps_promptly", "no_zombie_left", "prints_reaped_line", "exits_with_status_0"), (
        ("        reaped[pid] = os.waitstatus_to_exitcode(status)\n",
         "        reaped[pid] = os.waitstatus_to_exitcode(status)\n        return  # one child per signal\n"),
    )),
    W("reap_handler", "status_zero", "every child exits with status 0 instead of its index i",
      ("exit_statuses", "prints_reaped_line"), (
        ("os._exit(i)", "os._exit(0)"),
    )),
    W("reap_handler", "wait_in_main", "no SIGCHLD handler; the main flow reaps with os.wait()",
      ("handler_before_children",), (
        ("signal.signal(signal.SIGCHLD, reap)  # before the first fork: no child can end unseen\n", ""),
        ("deadline = time.monotonic() + 10\n"
         "while len(reaped) < 20 and time.monotonic() < deadline:\n"
         "    time.sleep(0.01)  # the main flow never waits for a child: it only looks at the count\n"
         "if len(reaped) < 20:\n"
         '    sys.exit(f"only {len(reaped)} children reaped in 10 s")\n',
         "for _ in range(20):\n"
         "    pid, status = os.wait()\n"
         "    reaped[pid] = os.waitstatus_to_exitcode(status)\n"),
    )),
    # -- reap_ignore -------------------------------------------------------------------------------
    W("reap_ignore", "five_children", "starts 5 children instead of 10", ("starts_10_children",), (
        ("range(10)", "range(5)"),
    )),
    W("reap_ignore", "handler_instead",
      "reaps the children with a SIGCHLD handler instead of ignoring SIGCHLD (then os.wait() returns the last "
      "child instead of failing)",
      ("ignores_sigchld", "prints_no_children_echild"), (
        ("signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # before the children exist: none will be a zombie\n",
         "\n"
         "def reap(signum, frame):\n"
         "    try:\n"
         "        while os.waitpid(-1, os.WNOHANG)[0] > 0:\n"
         "            pass\n"
         "    except ChildProcessError:\n"
         "        pass\n"
         "\n"
         "\n"
         "signal.signal(signal.SIGCHLD, reap)\n"),
    )),
    W("reap_ignore", "ignores_too_late",
      "ignores SIGCHLD only after the children have ended: their zombies stay, and os.wait() reaps one",
      ("ignores_sigchld", "no_zombie_ever", "wait_lasts_until_no_child_is_left", "prints_no_children_echild"), (
        ("signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # before the children exist: none will be a zombie\n", ""),
        ("time.sleep(1)\n", "time.sleep(1)\nsignal.signal(signal.SIGCHLD, signal.SIG_IGN)\n"),
    )),
    W("reap_ignore", "no_wait", "prints the message without calling os.wait()", ("wait_lasts_until_no_child_is_left",), (
        ("try:\n"
         "    os.wait()  # blocks while any child is alive, then: no children at all\n"
         "except ChildProcessError as error:\n"
         '    print(f"no children: {errno.errorcode[error.errno]}")\n',
         'print("no children: ECHILD")\n'),
    )),
    W("reap_ignore", "sig_dfl", "sets SIGCHLD to SIG_DFL, believing the default discards children (it leaves zombies)",
      ("ignores_sigchld", "no_zombie_ever", "wait_lasts_until_no_child_is_left", "prints_no_children_echild"), (
        ("signal.SIG_IGN)  # before the children exist: none will be a zombie", "signal.SIG_DFL)"),
    )),
    # -- daemon ------------------------------------------------------------------------------------
    W("daemon", "daemon_after_start",
      "sets daemon = True after start() (AssertionError; the ticker stays non-daemonic and the main program "
      "hangs at exit)",
      ("runs_side_by_side", "daemon_ticks", "prints_worker_done", "ends_by_itself", "nothing_outlives_main",
       "exits_with_status_0"), (
        ("target=tick, daemon=True)  # daemon before start()", "target=tick)"),
        ("    ticker.start()\n", "    ticker.start()\n    ticker.daemon = True  # AssertionError: process has already started\n"),
    )),
    W("daemon", "fork_escapee",
      "the ticker is a plain os.fork child: nothing stops it at exit, it keeps ticking under PID 1",
      ("nothing_outlives_main",), (
        ("import multiprocessing\n", "import multiprocessing\nimport os\n"),
        ("    ticker = multiprocessing.Process(target=tick, daemon=True)  # daemon before start()\n",
         "    if os.fork() == 0:\n        tick()\n"),
        ("    ticker.start()\n", ""),
    )),
    W("daemon", "no_daemon", "the ticker is not a daemon, so at exit the main program waits for it forever",
      ("ends_by_itself", "nothing_outlives_main", "exits_with_status_0"), (
        ("target=tick, daemon=True)  # daemon before start()", "target=tick)"),
    )),
    W("daemon", "no_join",
      "never joins the worker (the main program ends at once, and the exit handler stops the daemon right away)",
      ("runs_side_by_side", "daemon_ticks", "ends_by_itself", "nothing_outlives_main"), (
        ("    worker.join()\n", ""),
    )),
    W("daemon", "tick_not_flushed",
      "the daemon prints without flushing: its output is a pipe, and SIGTERM at exit loses the buffer",
      ("daemon_ticks",), (
        ('print("tick", flush=True)', 'print("tick")'),
    )),
    # -- tickets -----------------------------------------------------------------------------------
    W("tickets", "hardcoded_buyers", "ignores the BUYERS environment variable and always starts 5 buyers",
      ("buyers_are_processes", "buyers_alive_together", "every_buyer_reports", "none_oversold",
       "file_says_what_is_left"), (
        ('int(os.environ["BUYERS"])', "5"),
    )),
    W("tickets", "join_each",
      "joins each buyer right after starting it: correct sales, but the buyers run one at a time",
      ("buyers_alive_together",), (
        ("        p.start()  # every buyer runs at once: only the part under the lock takes turns\n"
         "    for p in processes:\n",
         "        p.start()\n"),
    )),
    W("tickets", "lock_write_only",
      "the lock covers the write only, not the read: every buyer still reads the same count",
      ("none_oversold", "file_says_what_is_left"), (
        ("    with lock:  # the critical section: from reading the count to writing it back\n"
         '        with open("tickets.json") as f:\n'
         '            count = json.load(f)["count"]\n'
         "        time.sleep(delay)  # simulated network latency\n",
         '    with open("tickets.json") as f:\n'
         '        count = json.load(f)["count"]\n'
         "    time.sleep(delay)  # simulated network latency\n"
         "    with lock:\n"),
    )),
    W("tickets", "no_lock", "no lock: every buyer reads the same count, so tickets are oversold",
      ("none_oversold", "file_says_what_is_left"), (
        ("import json\n", "import contextlib\nimport json\n"),
        ("lock = multiprocessing.Lock()", "lock = contextlib.nullcontext()  # no lock: `with lock` does nothing"),
    )),
    W("tickets", "numbered_from_1", "numbers the buyers 1 to BUYERS instead of 0 to BUYERS-1",
      ("every_buyer_reports", "none_oversold"), (
        ("for i in range(buyers)]", "for i in range(1, buyers + 1)]"),
    )),
    W("tickets", "threads", "the buyers are threads of one process, not processes",
      ("buyers_are_processes", "buyers_alive_together"), (
        ("import multiprocessing\nimport os\n", "import os\nimport threading\n"),
        ("multiprocessing.Lock()", "threading.Lock()"),
        ("multiprocessing.Process(target=buy", "threading.Thread(target=buy"),
    )),
    # -- queue -------------------------------------------------------------------------------------
    W("queue", "consumers_after_join",
      "starts the consumers only after joining the producers: with maxsize=5 the producers block in put() for ever",
      ("every_consumer_stops", "consumes_every_item_once", "consumers_run_at_the_same_time", "nothing_left_behind",
       "exits_with_status_0"), (
        ("    for process in consumers + producers:\n"
         "        process.start()\n"
         "    for producer in producers:\n"
         "        producer.join()\n",
         "    for producer in producers:\n"
         "        producer.start()\n"
         "    for producer in producers:\n"
         "        producer.join()  # never returns: nobody takes items out of the full queue\n"
         "    for consumer in consumers:\n"
         "        consumer.start()\n"),
    )),
    W("queue", "one_sentinel", "puts a single None for several consumers: the others wait in get() for ever",
      ("every_consumer_stops", "consumes_every_item_once", "nothing_left_behind", "exits_with_status_0"), (
        ("    for _ in consumers:  # everything is produced: one sentinel for *each* consumer\n        queue.put(None)\n",
         "    queue.put(None)\n"),
    )),
    W("queue", "own_share",
      "instead of a sentinel, each consumer stops after its share, total // CONSUMERS items: the rest is never "
      "consumed",
      ("consumes_every_item_once",), (
        ("def consume(queue):\n"
         "    while (n := queue.get()) is not None:  # blocks while the queue is empty\n"
         '        print(f"consumed {n}")\n',
         "def consume(queue, share):\n"
         "    for _ in range(share):\n"
         '        print(f"consumed {queue.get()}")\n'),
        ("args=(queue,))", "args=(queue, share))"),
        ("    consumers = [", "    share = producers_count * items // consumers_count  # 100 // 3 == 33: one is left over\n"
                             "    consumers = ["),
        ("    for _ in consumers:  # everything is produced: one sentinel for *each* consumer\n        queue.put(None)\n",
         ""),
    )),
    W("queue", "run_not_start",
      "calls run() instead of start() for the consumers: they all run one after the other in the main process",
      ("consumers_run_at_the_same_time",), (
        ("def consume(queue):\n"
         "    while (n := queue.get()) is not None:  # blocks while the queue is empty\n"
         '        print(f"consumed {n}")\n',
         "def consume(queue, taken, total):\n"
         "    while True:\n"
         "        with taken.get_lock():  # reserve one item, unless every item is reserved already\n"
         "            if taken.value == total:\n"
         "                return\n"
         "            taken.value += 1\n"
         '        print(f"consumed {queue.get()}")\n'),
        ("args=(queue,))", "args=(queue, taken, total))"),
        ("    consumers = [", '    taken = multiprocessing.Value("i", 0)\n'
                             "    total = producers_count * items\n"
                             "    consumers = ["),
        ("    for process in consumers + producers:\n"
         "        process.start()\n"
         "    for producer in producers:\n"
         "        producer.join()\n"
         "    for _ in consumers:  # everything is produced: one sentinel for *each* consumer\n"
         "        queue.put(None)\n"
         "    for consumer in consumers:\n"
         "        consumer.join()\n",
         "    for producer in producers:\n"
         "        producer.start()\n"
         "    for consumer in consumers:\n"
         "        consumer.run()  # should be start(): run() calls consume() here, in the main process\n"
         "    for producer in producers:\n"
         "        producer.join()\n"),
    )),
    # -- pipe --------------------------------------------------------------------------------------
    W("pipe", "child_keeps_send_end",
      "the child never closes the copy of the sending end it inherited, so recv() never raises EOFError",
      ("child_gets_eof", "child_prints_the_sum", "parent_waits_for_the_child", "exits_with_status_0"), (
        ("    sending.close()  # this copy was inherited: while it is open, recv() can never raise EOFError\n", ""),
    )),
    W("pipe", "never_waits", "forks with os.fork() and never waits for the child: it ends as a zombie nobody reaps",
      ("parent_waits_for_the_child",), (
        ('print(f"sum {total}")', 'print(f"sum {total}", flush=True)'),
        ("    process = multiprocessing.Process(target=child, args=(receiving, sending))\n    process.start()\n",
         "    if os.fork() == 0:\n        child(receiving, sending)\n        os._exit(0)\n"),
        ("    process.join()\n", ""),
    )),
    W("pipe", "off_by_one", "sends range(N), that is 0..N-1, instead of 1..N", ("child_prints_the_sum",), (
        ("range(1, n + 1)", "range(n)"),
    )),
    W("pipe", "parent_keeps_send_end",
      "the parent joins the child before closing its end of the pipe: the child waits for EOF, the parent for "
      "the child",
      ("child_gets_eof", "child_prints_the_sum", "parent_waits_for_the_child", "exits_with_status_0"), (
        ("    sending.close()  # the parent's copy: now the child gets EOFError once it has read everything\n"
         "    process.join()\n",
         "    process.join()\n"
         "    sending.close()\n"),
    )),
    # -- ps ----------------------------------------------------------------------------------------
    W("ps", "first_paren", "ends the name at the FIRST ')' of /proc/PID/stat, but a name may contain ')'",
      ("name_with_space_and_paren",), (
        ('    name = stat[stat.index("(") + 1:stat.rindex(")")]\n'
         '    state, ppid = stat[stat.rindex(")") + 2:].split()[:2]\n',
         '    head, rest = stat.split(")", 1)\n'
         '    name = head.split("(", 1)[1]\n'
         "    state, ppid = rest.split()[:2]\n"),
    )),
    W("ps", "name_from_cmdline",
      "prints the program of the command line as NAME (like ps's COMMAND), not the kernel's name (comm)",
      ("names_right", "name_with_space_and_paren"), (
        ("            stat = f.read()\n",
         "            stat = f.read()\n"
         '        with open(f"/proc/{pid}/cmdline", "rb") as f:\n'
         '            argv = f.read().split(b"\\0")\n'),
        ('    name = stat[stat.index("(") + 1:stat.rindex(")")]\n',
         '    comm = stat[stat.index("(") + 1:stat.rindex(")")]\n'
         '    name = os.path.basename(argv[0].decode()) or f"[{comm}]"\n'),
    )),
    W("ps", "ppid_from_pgrp", "takes the PPID from the wrong field of /proc/PID/stat (field 5, the process group)",
      ("parent_pids_right",), (
        ("state, ppid = stat[stat.rindex(\")\") + 2:].split()[:2]",
         "state, _, ppid = stat[stat.rindex(\")\") + 2:].split()[:3]"),
    )),
    W("ps", "runs_ps", "runs the system's ps instead of reading /proc (its output is right, but ps lists itself)",
      ("reads_proc_itself",), program=(
          "import subprocess\n"
          "\n"
          'print("PID PPID STATE NAME")\n'
          'print(subprocess.run(["ps", "-eo", "pid=,ppid=,stat=,comm="], capture_output=True, text=True, '
          'check=True).stdout, end="")\n')),
    W("ps", "skips_unreadable",
      "also reads /proc/PID/exe and skips the processes it may not read (root's), as if they were gone",
      ("lists_every_live_process", "parent_pids_right", "sleeping_state_S", "stopped_state_T", "zombies_included",
       "names_right", "name_with_space_and_paren"), (
        ("    try:\n", '    try:\n        os.readlink(f"/proc/{pid}/exe")  # for a path column, later\n'),
        ("except (FileNotFoundError, ProcessLookupError):", "except OSError:"),
    )),
    W("ps", "skips_zombies",
      "skips processes whose /proc/PID/cmdline is empty, as psutil-style code often does: zombies vanish",
      ("zombies_included",), (
        ("    try:\n",
         "    try:\n"
         '        with open(f"/proc/{pid}/cmdline", "rb") as f:\n'
         "            if not f.read():\n"
         '                continue  # "kernel thread": but a zombie\'s cmdline is empty too\n'),
    )),
    W("ps", "split_on_spaces", "splits /proc/PID/stat on spaces, which breaks on a name with a space in it",
      ("name_with_space_and_paren",), (
        ('    name = stat[stat.index("(") + 1:stat.rindex(")")]\n'
         '    state, ppid = stat[stat.rindex(")") + 2:].split()[:2]\n'
         "    print(pid, ppid, state, name)\n",
         "    fields = stat.split()\n"
         '    print(fields[0], fields[3], fields[2], fields[1].strip("()"))\n'),
    )),
    W("ps", "state_off_by_one", "off by one after the name: prints field 4 (the PPID) as the state",
      ("sleeping_state_S", "stopped_state_T", "zombies_included", "name_with_space_and_paren"), (
        ("state, ppid = stat[stat.rindex(\")\") + 2:].split()[:2]",
         "state = ppid = stat[stat.rindex(\")\") + 2:].split()[1]"),
    )),
    # -- init --------------------------------------------------------------------------------------
    W("init", "exec_in_place",
      "execs CMD in PID 1 itself: CMD never runs as a child, and nothing reaps or forwards",
      ("starts_cmd", "reaps_orphans", "waits_for_cmd", "exits_with_cmd_status", "forwards_sigterm",
       "forwards_sigint"), program=(
          "import os\n"
          "import sys\n"
          "\n"
          "os.execvp(sys.argv[1], sys.argv[1:])\n")),
    W("init", "forward_and_exit",
      "the signal handler forwards the signal, then exits at once instead of waiting for CMD",
      ("forwards_sigterm", "forwards_sigint"), (
        ("        pass  # CMD has already ended\n",
         "        pass  # CMD has already ended\n    sys.exit(128 + signum)\n"),
    )),
    W("init", "no_forwarding",
      "reaps and exits correctly but installs no signal handler: PID 1 ignores SIGTERM, and SIGINT kills it",
      ("forwards_sigterm", "forwards_sigint"), (
        ("for signum in (signal.SIGTERM, signal.SIGINT):\n    signal.signal(signum, forward)\n", ""),
    )),
    W("init", "only_waits_cmd",
      "waits for CMD only (os.waitpid(cmd, 0)): the orphans reparented to PID 1 stay zombies",
      ("reaps_orphans",), (
        ("while True:\n"
         "    pid, status = os.waitpid(-1, 0)  # any child: CMD, or an orphan reparented to PID 1\n"
         "    if pid == cmd:\n"
         "        break\n",
         "_, status = os.waitpid(cmd, 0)\n"),
    )),
    W("init", "raw_status", "exits with the raw wait status (status 3 is 768, which the shell sees as 0)",
      ("exits_with_cmd_status",), (
        ("code = os.waitstatus_to_exitcode(status)  # -N when CMD was killed by signal N\n"
         "sys.exit(code if code >= 0 else 128 - code)\n",
         "sys.exit(status)\n"),
    )),
    W("init", "term_only",
      "forwards SIGTERM but not SIGINT (Python's default handler raises KeyboardInterrupt in PID 1)",
      ("forwards_sigint",), (
        ("for signum in (signal.SIGTERM, signal.SIGINT):", "for signum in (signal.SIGTERM,):"),
    )),
    W("init", "wait_any",
      "os.wait() once: it returns the first child that ends, an orphan, and the init exits with its status",
      ("waits_for_cmd", "exits_with_cmd_status"), (
        ("while True:\n"
         "    pid, status = os.waitpid(-1, 0)  # any child: CMD, or an orphan reparented to PID 1\n"
         "    if pid == cmd:\n"
         "        break\n",
         "pid, status = os.wait()\n"),
    )),
)


def of(exercise: str) -> list:
    """The wrong solutions of one exercise, in the order of WRONG_SOLUTIONS."""
    return [w for w in WRONG_SOLUTIONS if w.exercise == exercise]


def course(exercise: str, folder: Path, size: int) -> Path:
    """A folder of `size` submissions, one file a student (s00.py, s01.py, ...): the reference,
    the starter and each wrong solution of `exercise` in turn. A class to grade in a batch."""
    reference = catalog.folder(exercise)
    folder.mkdir(parents=True)
    kinds = [(reference / "solution.py").read_text(), (reference / "starter.py").read_text(),
             *(wrong.source() for wrong in of(exercise))]
    for n in range(size):
        (folder / f"s{n:02d}.py").write_text(kinds[n % len(kinds)])
    return folder


def backend_of(wrong: WrongSolution) -> str:
    """The backend `wrong` is graded on: its exercise's mistakes take turns, in place first."""
    return BACKENDS[(of(wrong.exercise).index(wrong) + 1) % len(BACKENDS)]


def on(backend: str, exercise: str = None) -> list:
    """The mistakes graded on `backend` (of one exercise, if named)."""
    return [w for w in WRONG_SOLUTIONS if backend_of(w) == backend and exercise in (None, w.exercise)]
