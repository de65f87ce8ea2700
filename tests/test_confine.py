"""`confine` as a student's program would meet it: each test confines a forked child of its own,
which reports what it observed through a pipe; the test asserts on that and reaps the child."""

import ctypes
import errno
import mmap
import multiprocessing
import os
import pickle
import platform
import resource
import signal
import socket
import traceback

import pytest

from lab.backends.confine import NETWORK_REFUSED, confine

LIMITS = {"processes": 3, "address_space": 4 << 30, "open_files": 64, "file_size": 1 << 20,
          "cpu_seconds": 5, "network": False}
UNUSED_UID = 64999  # no process runs as it, so RLIMIT_NPROC counts only the test's own


def in_child(observe):
    """What `observe()` returns in a forked child (which confines itself), once the child is reaped.

    An exception in the child fails the test with the child's traceback.
    """
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(r)
            try:
                result = ("returned", observe())
            except BaseException:
                result = ("raised", traceback.format_exc())
            os.write(w, pickle.dumps(result))
        finally:
            os._exit(0)
    os.close(w)
    with os.fdopen(r, "rb") as reader:
        data = reader.read()
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    outcome, value = pickle.loads(data)
    assert outcome == "returned", value
    return value


def confined(**changes):
    """confine() with LIMITS, as changed."""
    confine(**{**LIMITS, **changes})


def status_lines():
    with open("/proc/self/status") as f:
        return f.read().splitlines()


def failure(make):
    """(errno, strerror) of the OSError that make() raises, or None if it succeeds."""
    try:
        make().close()
    except OSError as e:
        return e.errno, e.strerror
    return None


def test_network_families_are_refused_and_unix_sockets_work():
    def observe():
        confined()
        refused = {family: failure(lambda: socket.socket(family))
                   for family in (socket.AF_INET, socket.AF_INET6)}
        refused[socket.AF_PACKET] = failure(
            lambda: socket.socket(socket.AF_PACKET, socket.SOCK_RAW))
        a, b = socket.socketpair()
        a.sendall(b"ping")
        unix = failure(lambda: socket.socket(socket.AF_UNIX))
        parent_end, child_end = multiprocessing.Pipe()
        parent_end.send("pong")
        return refused, b.recv(4), unix, child_end.recv(), "Seccomp:\t2" in status_lines()

    refused, received, unix, piped, filtered = in_child(observe)
    assert NETWORK_REFUSED == errno.ENETUNREACH
    assert set(refused.values()) == {(errno.ENETUNREACH, "Network is unreachable")}
    assert (received, unix, piped, filtered) == (b"ping", None, "pong", True)


def test_network_allowed():
    assert in_child(lambda: (confined(network=True), failure(socket.socket))[1]) is None


def test_rlimits_are_what_was_asked():
    names = ["RLIMIT_NPROC", "RLIMIT_AS", "RLIMIT_NOFILE", "RLIMIT_FSIZE", "RLIMIT_CPU",
             "RLIMIT_CORE"]

    def observe():
        confined()
        return [resource.getrlimit(getattr(resource, name)) for name in names]

    assert dict(zip(names, in_child(observe))) == {
        "RLIMIT_NPROC": (3, 3), "RLIMIT_AS": (4 << 30, 4 << 30), "RLIMIT_NOFILE": (64, 64),
        "RLIMIT_FSIZE": (1 << 20, 1 << 20), "RLIMIT_CPU": (5, 6), "RLIMIT_CORE": (0, 0)}


def test_a_lower_hard_limit_is_kept():
    def observe():
        resource.setrlimit(resource.RLIMIT_NOFILE, (32, 32))
        confined()
        return resource.getrlimit(resource.RLIMIT_NOFILE)

    assert in_child(observe) == (32, 32)


def test_no_new_privs_even_with_the_network():
    assert "NoNewPrivs:\t1" in in_child(lambda: (confined(network=True), status_lines())[1])


def test_a_fork_beyond_the_process_limit_fails():
    def observe():
        os.setuid(UNUSED_UID)  # root ignores RLIMIT_NPROC
        confined(processes=3)
        gate_r, gate_w = os.pipe()  # grandchildren live until it closes: no sleep, no race
        grandchildren, refused = [], None
        while refused is None and len(grandchildren) < 10:
            try:
                pid = os.fork()
            except BlockingIOError as e:
                refused = e.errno
                continue
            if pid == 0:
                try:
                    os.close(gate_w)
                    os.read(gate_r, 1)
                finally:
                    os._exit(0)
            grandchildren.append(pid)
        os.close(gate_w)
        for pid in grandchildren:
            os.waitpid(pid, 0)
        return len(grandchildren), refused

    assert in_child(observe) == (2, errno.EAGAIN)  # the child and two grandchildren make three


def test_writing_past_the_file_size_limit_fails(tmp_path):
    path = tmp_path / "big"

    def observe():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        confined(file_size=4096)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT)
        try:
            written = os.write(fd, b"x" * 4096)
            os.write(fd, b"x")
        except OSError as e:
            return written, e.errno
        finally:
            os.close(fd)

    assert in_child(observe) == (4096, errno.EFBIG)
    assert path.stat().st_size == 4096


def test_io_uring_is_refused():
    def observe():
        confined()
        params = ctypes.create_string_buffer(120)  # struct io_uring_params, all zero
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.syscall(ctypes.c_long(425), ctypes.c_uint(1), params), ctypes.get_errno()

    assert in_child(observe) == (-1, errno.ENOSYS)


@pytest.mark.skipif(platform.machine() != "x86_64", reason="i386 syscalls exist only on x86_64")
def test_a_foreign_abi_kills_the_process():
    """int 0x80 enters the i386 ABI, whose socketcall hides the family from the filter."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            confined()
            code = mmap.mmap(-1, mmap.PAGESIZE,
                             prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
            code.write(bytes.fromhex("b814000000" "cd80" "c3"))  # mov eax, 20; int 0x80; ret
            ctypes.CFUNCTYPE(ctypes.c_int)(ctypes.addressof(ctypes.c_char.from_buffer(code)))()
            os.write(w, b"survived")
        finally:
            os._exit(0)
    os.close(w)
    with os.fdopen(r, "rb") as reader:
        assert reader.read() == b""
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGSYS


def test_an_unknown_machine_cannot_refuse_the_network(monkeypatch):
    monkeypatch.setattr(platform, "machine", lambda: "riscv64")

    def observe():
        try:
            confined()
        except OSError as e:
            return str(e)

    assert in_child(observe) == "cannot refuse the network on 'riscv64': no seccomp filter for it"
