# mistake: sends range(N), that is 0..N-1, instead of 1..N
# fails: child_prints_the_sum
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
    for i in range(n):
        sending.send(i)
    sending.close()
    process.join()
