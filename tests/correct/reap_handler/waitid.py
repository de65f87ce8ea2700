# style: os.fork; the handler loops os.waitid(P_ALL, WEXITED | WNOHANG) until it returns None; the main flow sleeps 10 ms at a time
import os
import signal
import sys
import time

CHILDREN = 20
done = []  # exit statuses, appended by the handler


def handler(signum, frame):
    while True:
        try:
            info = os.waitid(os.P_ALL, 0, os.WEXITED | os.WNOHANG)
        except ChildProcessError:
            return
        if info is None:  # children remain, none has ended
            return
        done.append(info.si_status)


def main():
    signal.signal(signal.SIGCHLD, handler)
    for i in range(CHILDREN):
        pid = os.fork()
        if pid == 0:
            time.sleep((i // 5) * 0.2)
            os._exit(i)
    for _ in range(1000):  # at most 10 s
        if len(done) == CHILDREN:
            break
        time.sleep(0.01)
    else:
        sys.exit("timed out")
    print(f"reaped {len(done)} sum {sum(done)}")


if __name__ == "__main__":
    main()
