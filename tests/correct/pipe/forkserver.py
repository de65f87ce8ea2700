# style: get_context("forkserver"): both ends given to the child, which closes the sending end it was given
import multiprocessing
import os


def add_up(conn_in, conn_out):
    conn_out.close()
    total = 0
    while True:
        try:
            value = conn_in.recv()
        except EOFError:
            break
        total += value
    print("sum", total)


def main():
    n = int(os.environ["N"])
    ctx = multiprocessing.get_context("forkserver")
    conn_in, conn_out = ctx.Pipe()
    child = ctx.Process(target=add_up, args=(conn_in, conn_out))
    child.start()
    conn_in.close()
    for value in range(1, n + 1):
        conn_out.send(value)
    conn_out.close()
    child.join()


if __name__ == "__main__":
    main()
