# style: get_context("fork"): the child closes the sending end it inherited, then sums until EOFError
import multiprocessing
import os


def add_up(receiver, sender):
    sender.close()  # inherited at the fork: recv() raises EOFError only once this copy is closed too
    total = 0
    try:
        while True:
            total += receiver.recv()
    except EOFError:
        pass
    print(f"sum {total}")


if __name__ == "__main__":
    ctx = multiprocessing.get_context("fork")
    n = int(os.environ["N"])
    receiver, sender = ctx.Pipe()
    child = ctx.Process(target=add_up, args=(receiver, sender))
    child.start()
    receiver.close()
    for i in range(1, n + 1):
        sender.send(i)
    sender.close()
    child.join()
