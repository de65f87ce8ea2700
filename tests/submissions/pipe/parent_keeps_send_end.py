# mistake: the parent joins the child before closing its end of the pipe: the child waits for EOF, the parent for the child
# fails: child_gets_eof child_prints_the_sum parent_waits_for_the_child exits_with_status_0
import multiprocessing
import os


def child(receiving, sending):
    sending.close()
    total = 0
    while True:
        try:
            total += receiving.recv()
        except EOFError:
            break
    print(f"sum {total}")


if __name__ == "__main__":
    n = int(os.environ["N"])
    receiving, sending = multiprocessing.Pipe()
    process = multiprocessing.Process(target=child, args=(receiving, sending))
    process.start()
    receiving.close()
    for i in range(1, n + 1):
        sending.send(i)
    process.join()  # the parent's copy of the sending end is still open: no EOF for the child
    sending.close()
