# style: get_context("spawn"), a one-way Pipe(duplex=False): the child is given only the receiving end
import multiprocessing
import os


def add_up(receiver):
    total = 0
    while True:
        try:
            total += receiver.recv()
        except EOFError:
            break
    print(f"sum {total}", flush=True)


if __name__ == "__main__":
    ctx = multiprocessing.get_context("spawn")
    n = int(os.environ["N"])
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(target=add_up, args=(receiver,))
    child.start()
    receiver.close()  # the child has its own copy now
    for i in range(1, n + 1):
        sender.send(i)
    sender.close()
    child.join()
