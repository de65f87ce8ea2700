# mistake: forks with os.fork() and never waits for the child: it ends as a zombie nobody reaps
# fails: parent_waits_for_the_child
import multiprocessing
import os

n = int(os.environ["N"])
receiving, sending = multiprocessing.Pipe()
pid = os.fork()
if pid == 0:
    sending.close()
    total = 0
    while True:
        try:
            total += receiving.recv()
        except EOFError:
            break
    print(f"sum {total}", flush=True)
    os._exit(0)
receiving.close()
for i in range(1, n + 1):
    sending.send(i)
sending.close()  # and exits without os.waitpid(pid, 0)
