"""Parsing /proc: the observer's eye, tested on text the kernel really produces."""

import json
import os
import shutil

from lab import procfs

# /proc/<pid>/stat of a zombie whose name is "a) Z (b" and whose parent will read status 7.
STAT_TRICKY = "42 (a) Z (b) Z 7 42 7 0 -1 4227148 71 0 0 0 0 0 0 0 20 0 1 0 " + " ".join(["0"] * 30) + " 1792"
STATUS = """Name:\tpython3
State:\tS (sleeping)
Uid:\t1000\t1000\t1000\t1000
SigPnd:\t0000000000000000
ShdPnd:\t0000000000004000
SigBlk:\t0000000000004000
SigIgn:\t0000000001010000
SigCgt:\t0000000180014002
"""


def test_stat_name_with_spaces_and_parenthesis():
    assert procfs.parse_stat(STAT_TRICKY) == {
        "pid": 42, "name": "a) Z (b", "state": "Z", "ppid": 7, "pgid": 42, "sid": 7,
        "wait_status": 1792,  # 7 << 8: exited with status 7
    }


def test_stat_of_a_real_process():
    with open(f"/proc/{os.getpid()}/stat") as f:
        stat = procfs.parse_stat(f.read())
    assert (stat["pid"], stat["ppid"], stat["state"]) == (os.getpid(), os.getppid(), "R")
    assert (stat["pgid"], stat["sid"]) == (os.getpgrp(), os.getsid(0))


def test_status_masks_and_real_uid():
    fields = procfs.parse_status(STATUS)
    assert fields["uid"] == 1000
    process = procfs.Process(1, 0, "S", "x", (), **fields)
    assert process.catches(17)  # SIGCHLD: bit 16 of 0x...14002 is set
    assert process.ignores(17) and not process.ignores(15)
    assert not process.catches(9)
    assert process.blocks(15) and process.pending(15) and not process.pending(17)  # ShdPnd counts


def test_cmdline_keeps_arguments_with_spaces_and_bad_bytes():
    assert procfs.parse_cmdline(b"python3\0my prog.py\0\xff\0") == ("python3", "my prog.py", "\ufffd")
    assert procfs.parse_cmdline(b"") == ()


def test_zombie_exit_code_from_wait_status():
    zombie = procfs.Process(5, 1, "Z", "py", (), 0, 0, 0, wait_status=15)
    assert zombie.sig_pending == 0 and zombie.sid == 0
    assert zombie.exit_code == -15  # killed by SIGTERM, as multiprocessing reports it
    assert zombie._replace(wait_status=7 << 8).exit_code == 7
    assert zombie._replace(state="S").exit_code is None
    assert zombie.command == "[py] <defunct>"


def _fake_proc(root, pid, stat, status=STATUS, cmdline=b""):
    directory = root / str(pid)
    directory.mkdir()
    (directory / "stat").write_text(stat)
    (directory / "status").write_text(status)
    (directory / "cmdline").write_bytes(cmdline)


def test_read_table_sorts_excludes_and_skips_non_processes(tmp_path):
    _fake_proc(tmp_path, 10, "10 (sleep) S 1 " + "0 " * 60)
    _fake_proc(tmp_path, 2, "2 (docker-init) S 0 " + "0 " * 60, cmdline=b"/sbin/docker-init\0--\0")
    _fake_proc(tmp_path, 99, "99 (observer) R 0 " + "0 " * 60)
    (tmp_path / "self").mkdir()  # not a PID: ignored
    table = procfs.read_table(str(tmp_path), exclude={99})
    assert [p.pid for p in table] == [2, 10]
    assert table[0].cmdline == ("/sbin/docker-init", "--")


def test_a_process_that_vanishes_while_read_is_skipped(tmp_path):
    (tmp_path / "7").mkdir()  # its files are gone: it exited between listdir and open
    assert procfs.read_table(str(tmp_path)) == []


def test_records_survive_the_trip_through_json():
    process = procfs.Process(3, 1, "T", "n", ("a", "b"), 1000, 1, 2, 4, 8, 3, 3, 0)
    assert procfs.from_record(json.loads(json.dumps(list(process)))) == process


def _stat(pid: int, name: str, start_stack: int) -> str:
    """A stat line whose start time (field 22) is 5 and start of stack (field 28) `start_stack`."""
    fields = ["S", "1"] + ["0"] * 17 + ["5"] + ["0"] * 5 + [str(start_stack)] + ["0"] * 24
    return f"{pid} ({name}) " + " ".join(fields)


def test_a_command_line_is_read_again_only_after_an_exec(tmp_path):
    _fake_proc(tmp_path, 7, _stat(7, "python3", 1000), cmdline=b"python3\0-c\0launcher\0")
    kept = {}
    assert procfs.read_table(str(tmp_path), cmdlines=kept)[0].cmdline == ("python3", "-c", "launcher")
    (tmp_path / "7" / "cmdline").write_bytes(b"python3\0solution.py\0")
    assert procfs.read_table(str(tmp_path), cmdlines=kept)[0].cmdline == ("python3", "-c", "launcher")  # no exec yet
    (tmp_path / "7" / "stat").write_text(_stat(7, "python3", 2000))  # exec'd: the stack moved
    assert procfs.read_table(str(tmp_path), cmdlines=kept)[0].cmdline == ("python3", "solution.py")


def test_a_command_line_is_always_read_where_the_stack_is_hidden(tmp_path):
    _fake_proc(tmp_path, 7, _stat(7, "python3", 0), cmdline=b"a\0")
    kept = {}
    procfs.read_table(str(tmp_path), cmdlines=kept)
    (tmp_path / "7" / "cmdline").write_bytes(b"b\0")
    assert procfs.read_table(str(tmp_path), cmdlines=kept)[0].cmdline == ("b",)
    assert kept == {}


def test_command_lines_of_processes_gone_are_forgotten(tmp_path):
    _fake_proc(tmp_path, 7, _stat(7, "python3", 1000), cmdline=b"a\0")
    kept = {}
    procfs.read_table(str(tmp_path), cmdlines=kept)
    assert list(kept) == [7]
    shutil.rmtree(tmp_path / "7")
    assert procfs.read_table(str(tmp_path), cmdlines=kept) == [] and kept == {}
