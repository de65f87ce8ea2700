# attack: allocates memory spread across many multiprocessing children, none of them large
# verdict: memory limit
import multiprocessing
import time


def hog():
    chunk = bytearray(b"\x01") * (40 << 20)
    time.sleep(60)
    return chunk


if __name__ == "__main__":
    children = [multiprocessing.Process(target=hog) for _ in range(12)]
    for child in children:
        child.start()
    for child in children:
        child.join()
