# style: multiprocessing with get_context("spawn"); the parent's PID passed to the child; the main process ends with os._exit(0)
import multiprocessing
import os
import time


def child(parent):
    while os.getppid() == parent:
        time.sleep(0.01)
    print(f"adopted by {os.getppid()}", flush=True)


if __name__ == "__main__":
    multiprocessing.get_context("spawn").Process(target=child, args=(os.getpid(),)).start()
    os._exit(0)  # a normal exit would join the child: multiprocessing's exit handler waits for it
