# mistake: uses multiprocessing and just ends: multiprocessing joins non-daemon children at exit, so the main process waits for its child
# fails: main_exits_0_within_1_s child_is_adopted_by_pid_1 only_one_child prints_adopted_by_1 child_exits_within_5_s child_exits_with_status_0
import multiprocessing
import os
import time


def child():
    time.sleep(2)  # "time enough for the parent to exit" -- but the parent is waiting for this child
    print(f"adopted by {os.getppid()}", flush=True)


if __name__ == "__main__":
    multiprocessing.Process(target=child).start()
