"""Lock down a forked child right before it execs a student's program.

Standard library only: it runs in the child between fork and exec, possibly inside a Docker
container with Docker's default capabilities and seccomp profile (both allow what is done here).
"""

import ctypes
import errno
import os
import platform
import resource
import socket

NETWORK_REFUSED = errno.ENETUNREACH
"""What socket(2) fails with for a network family: "[Errno 101] Network is unreachable", the same
words a program sees in a container without a network."""

_PR_SET_NO_NEW_PRIVS = 38  # execve can no longer grant privileges (setuid bits, file capabilities)
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2

# Classic BPF, the only language of seccomp filters.
_LD_ABS = 0x20  # BPF_LD|BPF_W|BPF_ABS: A = the 32-bit word of seccomp_data at offset k
_JEQ = 0x15  # BPF_JMP|BPF_JEQ|BPF_K: skip jt instructions if A == k, else skip jf
_RET = 0x06  # BPF_RET|BPF_K: the verdict k
# struct seccomp_data {int nr; u32 arch; u64 ip; u64 args[6]}; args[0]'s low half (little-endian)
# is all of socket()'s int domain.
_NR, _ARCH, _ARG0 = 0, 4, 16
_ALLOW = 0x7FFF0000
_ERRNO = 0x00050000  # | errno: the syscall is skipped and returns -errno
# A syscall of another ABI than ours (int 0x80 on x86_64, arm32 on aarch64) has other numbers:
# socket is 359 and socketcall 102 on i386, and socketcall hides its domain behind a pointer BPF
# cannot read. Allowing it would open the network again, so the process dies (SIGSYS) instead.
_KILL_PROCESS = 0x80000000

_X32 = 0x40000000  # x32 ABI: the x86_64 arch, numbers with this bit set (socket = _X32 | 41)
# io_uring's IORING_OP_SOCKET (Linux 5.19) makes sockets without a socket(2) seccomp can see, so
# io_uring_setup fails with ENOSYS as on a kernel without io_uring (its users fall back on that).
_ARCHES = {  # platform.machine(): (AUDIT_ARCH_*, numbers of socket(2), of io_uring_setup(2))
    "x86_64": (0xC000003E, (41, _X32 | 41), (425, _X32 | 425)),
    "aarch64": (0xC00000B7, (198,), (425,)),
}
_REFUSED_FAMILIES = (socket.AF_INET, socket.AF_INET6, socket.AF_PACKET)  # AF_UNIX stays

_libc = ctypes.CDLL(None, use_errno=True)  # the running process's C library, for prctl


class _SockFilter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_uint16), ("jt", ctypes.c_uint8), ("jf", ctypes.c_uint8),
                ("k", ctypes.c_uint32)]


class _SockFprog(ctypes.Structure):  # ctypes pads len to the pointer's alignment, as C does
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_SockFilter))]


def _one_of(values):
    """Allow, unless A is one of values: then go on after the allow (a JEQ skips jt or jf)."""
    return [(_JEQ, len(values) - i, 0, value) for i, value in enumerate(values)] + [
        (_RET, 0, 0, _ALLOW)]


def _program(arch, socket_nrs, ring_nrs):
    """The filter as (code, jt, jf, k): kill a foreign ABI, refuse io_uring_setup, then refuse
    socket() for the network families and allow everything else."""
    program = [(_LD_ABS, 0, 0, _ARCH), (_JEQ, 1, 0, arch), (_RET, 0, 0, _KILL_PROCESS),
               (_LD_ABS, 0, 0, _NR)]
    for nr in ring_nrs:
        program += [(_JEQ, 0, 1, nr), (_RET, 0, 0, _ERRNO | errno.ENOSYS)]
    program += _one_of(socket_nrs) + [(_LD_ABS, 0, 0, _ARG0)] + _one_of(_REFUSED_FAMILIES)
    return program + [(_RET, 0, 0, _ERRNO | NETWORK_REFUSED)]


def _prctl(what, option, arg2, arg3=None):
    """prctl(option, arg2, arg3, 0, 0); the unused arguments must be 0 or the kernel says EINVAL."""
    zero = ctypes.c_ulong(0)
    if _libc.prctl(ctypes.c_int(option), ctypes.c_ulong(arg2), zero if arg3 is None else arg3,
                   zero, zero) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"cannot {what}: prctl: {os.strerror(err)}")


def _limit(name, soft, hard):
    """Set soft and hard, never above a hard limit already lower (RLIM_INFINITY is above all)."""
    which = getattr(resource, name)
    current = resource.getrlimit(which)[1]
    if current != resource.RLIM_INFINITY:
        soft, hard = min(soft, current), min(hard, current)
    try:
        resource.setrlimit(which, (soft, hard))
    except (OSError, ValueError) as e:
        raise OSError(f"cannot set {name} to {soft}/{hard}: {e}") from e


def confine(*, processes, address_space, open_files, file_size, cpu_seconds, network):
    """Lock down the calling process before it execs a student's program.

    Called in the child after fork and setuid. Sets the rlimits (the CPU hard limit a second above
    the soft one, so SIGXCPU comes before SIGKILL; no core files), sets no_new_privs (always; it is
    also what lets a process without CAP_SYS_ADMIN install a seccomp filter), and with network
    False installs a filter that makes socket() fail with NETWORK_REFUSED for AF_INET, AF_INET6
    and AF_PACKET. Raises OSError saying which step failed.
    """
    for name, soft, hard in (("RLIMIT_NPROC", processes, processes),
                             ("RLIMIT_AS", address_space, address_space),
                             ("RLIMIT_NOFILE", open_files, open_files),
                             ("RLIMIT_FSIZE", file_size, file_size),
                             ("RLIMIT_CPU", cpu_seconds, cpu_seconds + 1),
                             ("RLIMIT_CORE", 0, 0)):
        _limit(name, soft, hard)
    _prctl("set no_new_privs", _PR_SET_NO_NEW_PRIVS, 1)
    if network:
        return
    machine = platform.machine()
    if machine not in _ARCHES:
        raise OSError(f"cannot refuse the network on {machine!r}: no seccomp filter for it")
    program = _program(*_ARCHES[machine])
    filters = (_SockFilter * len(program))(*program)
    prog = _SockFprog(len(program), filters)
    _prctl("install the seccomp filter", _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(prog))
