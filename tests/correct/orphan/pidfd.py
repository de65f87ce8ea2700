# style: os.fork; the child waits on a pidfd of its parent (os.pidfd_open + select.poll)
import os
import select

parent = os.getpid()
pid = os.fork()
if pid == 0:
    try:
        fd = os.pidfd_open(parent)
    except ProcessLookupError:
        fd = None  # already gone
    if fd is not None:
        poller = select.poll()
        poller.register(fd, select.POLLIN)
        poller.poll()  # readable once the parent has exited
        os.close(fd)
    print(f"adopted by {os.getppid()}", flush=True)
    os._exit(0)
