# style: os.fork; the kernel tells the child its parent died (prctl PR_SET_PDEATHSIG, then sigwaitinfo)
import ctypes
import os
import signal

PR_SET_PDEATHSIG = 1

parent = os.getpid()
if os.fork() == 0:
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGUSR1, 0, 0, 0) != 0:
        os._exit(2)
    if os.getppid() == parent:  # the parent may have gone before the prctl: then no signal comes
        signal.sigwaitinfo({signal.SIGUSR1})
    print("adopted by", os.getppid(), flush=True)
    os._exit(0)
