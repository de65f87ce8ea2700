"""Reference solution: the parent sends 1..N over a Pipe, the child adds them up until EOF."""

import multiprocessing
import os


def child(receiving, sending):
    sending.close()  # this copy was inherited: while it is open, recv() can never raise EOFError
    total = 0
    while True:
        try:
            total += receiving.recv()
        except EOFError:  # every copy of the sending end is closed
            break
    print(f"sum {total}")


if __name__ == "__main__":
    n = int(os.environ["N"])
    receiving, sending = multiprocessing.Pipe()
    process = multiprocessing.Process(target=child, args=(receiving, sending))
    process.start()
    receiving.close()  # the parent only sends
    for i in range(1, n + 1):
        sending.send(i)
    sending.close()  # the parent's copy: now the child gets EOFError once it has read everything
    process.join()
