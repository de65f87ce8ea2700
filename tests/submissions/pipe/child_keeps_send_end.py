# mistake: the child never closes the copy of the sending end it inherited, so recv() never raises EOFError
# fails: child_gets_eof child_prints_the_sum parent_waits_for_the_child exits_with_status_0
import multiprocessing
import os


def child(receiving, sending):
    total = 0  # `sending` stays open here: the pipe always has a writer
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
    sending.close()
    process.join()
