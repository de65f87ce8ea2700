"""`proclab ps`: its views on made-up rows, and its table against `ps` in a real container."""

import json
import os
import pty
import select
import subprocess
import sys

import pytest

from lab import ps
from lab.observe import Observer
from lab.ps import Row
from lab.sandbox import connect

ROWS = [
    Row(1, 0, "root", "S", 0.0, 700, "docker-init", ["/sbin/docker-init", "--", "sleep", "600"]),
    Row(7, 1, "root", "S", 0.0, 1200, "sleep", ["sleep", "600"]),
    Row(20, 0, "student", "S", 1.5, 11000, "python3", ["python3", "zombie.py"]),
    Row(21, 20, "student", "Z", 0.0, 0, "python3", []),
    Row(30, 0, "student", "T", 0.0, 900, "grep", ["grep", "Zed"]),
]


def test_zombies_are_only_state_z_not_lines_with_a_capital_z():
    assert [r.pid for r in ps.zombies(ROWS)] == [21]  # not grep Zed, whose line has a Z in it


def test_a_filter_never_matches_the_ps_itself():
    me = Row(os.getpid(), 1, "me", "R", 0.0, 1, "python3", ["python3", "-m", "lab", "ps", "--find", "python"])
    assert os.getpid() not in [r.pid for r in ps.find(ROWS + [me], "python")]
    assert [r.pid for r in ps.find(ROWS, "ZOMBIE")] == [20]  # by command line, ignoring case


def test_table_shows_defunct_and_the_columns_of_ps_aux():
    text = ps.table(ROWS)
    assert text.splitlines()[0].split() == ["PID", "PPID", "USER", "STAT", "%CPU", "RSS", "COMMAND"]
    assert "[python3] <defunct>" in text
    assert ps.table([]).splitlines()[0].split() == ["PID", "PPID", "USER", "STAT", "%CPU", "RSS", "COMMAND"]


def test_tree_draws_children_under_their_parent_like_pstree():
    assert ps.tree(ROWS).splitlines() == [
        "docker-init(1)",
        "└─sleep(7)",
        "python3(20)",
        "└─python3(21) <defunct>",
        "grep(30)",
    ]


def test_under_keeps_a_process_and_its_descendants_zombies_included():
    assert [r.pid for r in ps.subtree(ROWS, 20)] == [20, 21]
    assert [r.pid for r in ps.subtree(ROWS, 1)] == [1, 7]
    assert [r.pid for r in ps.subtree(ROWS, 21)] == [21]
    assert ps.subtree(ROWS, 99) == []  # no such process: nothing, not everything


def test_under_draws_the_tree_from_that_process():
    assert ps.tree(ps.subtree(ROWS, 20)).splitlines() == ["python3(20)", "└─python3(21) <defunct>"]


def test_under_on_the_host_shows_this_subtree_and_nothing_else():
    """A child and a grandchild of this test, seen with --under this test's PID, in every view."""
    # The child's own command line must not hold the word, or --find would match it too.
    family = subprocess.Popen([sys.executable, "-c", "import subprocess; subprocess.run(['sl' + 'eep', '600'])"])
    try:
        grandchild = None
        while grandchild is None:  # until the child has started its sleep (it ends only when killed)
            rows = ps.subtree(ps.processes(), os.getpid())
            grandchild = next((r.pid for r in rows if r.ppid == family.pid and r.name == "sleep"), None)
        table = ps.render("table", under=os.getpid())
        pids = {int(line.split()[0]) for line in table.splitlines()[2:]}
        assert {os.getpid(), family.pid, grandchild} <= pids and 1 not in pids
        assert os.getppid() not in pids
        tree = ps.render("tree", under=os.getpid()).splitlines()
        assert tree[0].endswith(f"({os.getpid()})") and any(f"sleep({grandchild})" in line for line in tree)
        found = ps.render("find", "sleep", under=os.getpid())
        assert [int(line.split()[0]) for line in found.splitlines()[2:]] == [grandchild]
        assert {r["pid"] for r in json.loads(ps.render("json", under=family.pid))} == {family.pid, grandchild}
    finally:
        for process in ps.subtree(ps.processes(), family.pid)[::-1]:
            os.kill(process.pid, 9)
        family.wait()


def test_the_command_line_takes_under_with_every_view(capsys):
    from lab.cli import main

    assert main(["ps", "--tree", "--under", str(os.getpid())]) == 0
    assert capsys.readouterr().out.splitlines()[0].endswith(f"({os.getpid()})")
    assert main(["ps", "--zombies", "--under", str(os.getpid())]) == 0
    assert main(["ps", "--under", "0"]) == 2
    assert "takes a PID" in capsys.readouterr().err


def test_fit_cuts_every_line_to_the_width_and_none_keeps_them_whole():
    text = ps.table(ROWS)
    cut = ps.fit(text, 30).splitlines()
    assert [len(line) for line in cut] == [min(len(line), 30) for line in text.splitlines()]
    assert [line[:30] for line in text.splitlines()] == cut
    assert ps.fit(text, None) == text


def test_json_is_never_cut_or_it_would_not_parse():
    assert json.loads(ps.render("json", under=os.getpid(), width=10))[0]["pid"] == os.getpid()
    assert all(len(line) <= 10 for line in ps.render("tree", under=os.getpid(), width=10).splitlines())


def on_a_terminal(args: list, columns: int) -> list:
    """The lines `proclab` prints with its stdout a terminal (a pty) `columns` wide."""
    controller, terminal = pty.openpty()
    env = {**os.environ, "COLUMNS": str(columns)}
    with subprocess.Popen([sys.executable, "-m", "lab", *args], stdout=terminal, env=env) as proclab:
        os.close(terminal)
        output = b""
        while True:
            assert select.select([controller], [], [], 60)[0], "no output within 60 s"
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # EIO: every writer of the terminal has gone
                break
            if not chunk:
                break
            output += chunk
        assert proclab.wait(timeout=60) == 0
    os.close(controller)
    return output.decode().splitlines()


def test_on_a_terminal_lines_are_cut_to_its_width_unless_wide_and_a_pipe_gets_them_whole():
    long_argument = "x" * 200
    # It waits for its stdin to close, so it is there for as long as the test needs it.
    waiter = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()", long_argument],
                              stdin=subprocess.PIPE)
    try:
        args = ["ps", "--under", str(waiter.pid)]
        cut = on_a_terminal(args, 50)
        assert len(cut) == 3 and all(len(line) <= 50 for line in cut), cut
        assert cut[2].split()[0] == str(waiter.pid) and long_argument not in cut[2]
        assert long_argument in on_a_terminal(args + ["--wide"], 50)[2]
        piped = subprocess.run([sys.executable, "-m", "lab", *args], capture_output=True, text=True,
                               env={**os.environ, "COLUMNS": "50"}, timeout=60)
        assert long_argument in piped.stdout.splitlines()[2]
    finally:
        waiter.stdin.close()
        waiter.wait()


def test_json_has_the_promised_fields():
    record = json.loads(ps.as_json(ROWS))[3]
    assert {k: record[k] for k in ("pid", "ppid", "state", "name", "cmdline", "user")} == {
        "pid": 21, "ppid": 20, "state": "Z", "name": "python3", "cmdline": [], "user": "student"}


def test_on_the_host_it_sees_this_very_test():
    rows = ps.processes()
    mine = next(r for r in rows if r.pid == os.getpid())
    assert mine.ppid == os.getppid() and mine.state in "RS"


ZOMBIE_MAKER = "import os,time\nif os.fork()==0: os._exit(0)\ntime.sleep(600)"  # allowed: the zombie's lifetime


@pytest.mark.container
def test_json_matches_ps_in_the_same_container_at_the_same_moment(sandbox):
    """Plant a sleeper, a stopped process and a zombie, then run both tools in one exec."""
    observer = Observer(sandbox)
    sandbox.start(["sleep", "600"])
    sandbox.start(["sleep", "601"])
    sandbox.start(["python3", "-c", ZOMBIE_MAKER])
    observer.wait_for(lambda s: s.zombies(), 10, "a zombie")
    pid = observer.wait_for(lambda s: next((p.pid for p in s if p.cmdline == ("sleep", "601")), None), 10, "sleep 601")
    assert sandbox.run(["kill", "-STOP", str(pid)])[0] == 0
    observer.wait_for(lambda s: s.pid(pid).state == "T", 10, "the stopped sleep in state T")

    code, output = sandbox.run(["sh", "-c", "proclab ps --json; echo ===; ps -eo pid=,ppid=,stat=,comm="])
    assert code == 0, output
    ours, theirs = output.split("===\n")
    # The observer samples /proc, and tini (PID 1) wakes every second to reap: each is R or S
    # depending on the instant, so their states are left out (their parents are not).
    awake = {r["pid"] for r in json.loads(ours) if "observer.py" in " ".join(r["cmdline"])} | {1}
    ours = {r["pid"]: (r["ppid"], r["state"]) for r in json.loads(ours)}
    theirs = {int(f[0]): (int(f[1]), f[2][0]) for f in (line.split() for line in theirs.splitlines())}
    shared = ours.keys() & theirs.keys()
    assert {"S", "T", "Z"} <= {ours[p][1] for p in shared}
    assert {p: ours[p][0] for p in shared} == {p: theirs[p][0] for p in shared}
    assert {p: ours[p] for p in shared - awake} == {p: theirs[p] for p in shared - awake}
    # Only the tools themselves may differ: the proclab ps that ran first, and the ps after it.
    assert len(ours.keys() - theirs.keys()) == 1 and len(theirs.keys() - ours.keys()) == 1, (ours, theirs)


@pytest.mark.container
def test_zombies_tree_and_find_views_in_a_container(sandbox):
    observer = Observer(sandbox)
    sandbox.start(["python3", "-c", ZOMBIE_MAKER])
    zombie = observer.wait_for(lambda s: next(iter(s.zombies()), None), 10, "a zombie")

    _, zombies = sandbox.run(["proclab", "ps", "--zombies"])
    assert [line.split()[0] for line in zombies.splitlines()[2:]] == [str(zombie.pid)]
    _, tree = sandbox.run(["proclab", "ps", "--tree"])
    assert f"└─python3({zombie.pid}) <defunct>" in tree
    _, found = sandbox.run(["proclab", "ps", "--find", "SLEEP"])
    expected = {p.pid for p in observer.snapshot() if "sleep" in (p.name + " ".join(p.cmdline)).lower()}
    assert {int(line.split()[0]) for line in found.splitlines()[2:]} == expected


def test_under_in_a_sandbox_in_place_shows_that_sandbox_only():
    """In place `proclab ps` sees the whole machine; the labs' views ask for the supervisor's
    subtree, and get exactly what the observer sees there, plus the ps itself."""
    with connect("local", purpose="lab") as engine:
        sandbox = engine.sandbox("test")
        observer = Observer(sandbox)
        sandbox.start(["python3", "-c", ZOMBIE_MAKER])
        zombie = observer.wait_for(lambda s: next(iter(s.zombies()), None), 10, "a zombie")
        code, tree = sandbox.run(["proclab", "ps", "--tree", "--under", str(sandbox.reaper)])
        assert code == 0, tree
        assert tree.splitlines()[0].endswith(f"({sandbox.reaper})"), tree
        assert f"└─python3({zombie.pid}) <defunct>" in tree
        code, table = sandbox.run(["proclab", "ps", "--under", str(sandbox.reaper)])
        assert code == 0, table
        seen = {p.pid for p in observer.snapshot()}
        listed = {int(line.split()[0]) for line in table.splitlines()[2:]}
        assert {sandbox.reaper, zombie.ppid, zombie.pid} <= listed and 1 not in listed and os.getpid() not in listed
        assert len(listed - seen) == 1, (listed, seen)  # the proclab ps that made the list
