# style: os.fork with a multiprocessing.Pipe, the parent reaps the child with os.waitpid
import multiprocessing
import os
import sys

n = int(os.environ["N"])
receiver, sender = multiprocessing.Pipe(duplex=False)
pid = os.fork()
if pid == 0:
    sender.close()
    total = 0
    try:
        while True:
            total += receiver.recv()
    except EOFError:
        pass
    print(f"sum {total}")
    sys.stdout.flush()  # os._exit does not flush
    os._exit(0)

receiver.close()
for i in range(1, n + 1):
    sender.send(i)
sender.close()
os.waitpid(pid, 0)
