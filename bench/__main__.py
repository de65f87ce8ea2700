"""`make bench`: how fast the lab is, as ratios against a baseline measured in the same run.

1. `proclab lab zombie --fast` against a bare `docker run --rm proclab:latest true`.
2. The latency of one fresh process-table snapshot, against one plain `docker exec true`.
3. The shortest-lived zombie the observer catches: 20 tries for each lifetime.
4. Grading one reference solution per exercise, and the grader's overhead: grading time minus
   the time the program itself ran (as observed, summed over the exercise's trials).
5. Batch throughput: 40 submissions graded with --jobs 1 against --jobs 2.

Numbers are wall-clock and depend on the machine; the ratios are what to compare across runs.
"""

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tabulate import tabulate

from lab import image, runtime
from lab.observe import Observer
from tests import wrong_solutions

TRIES = 20


def timed(function, repeat: int) -> float:
    """The median wall time of `function()` over `repeat` runs."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def lab_against_bare_container(repeat: int = 5) -> list:
    bare_run = ["docker", "run", "--rm", "--network", "none", "--label", runtime.LABEL, runtime.IMAGE, "true"]
    bare = timed(lambda: subprocess.run(bare_run, check=True), repeat)
    lab = timed(lambda: subprocess.run([sys.executable, "-m", "lab", "lab", "zombie", "--fast"],
                                       check=True, stdout=subprocess.DEVNULL), repeat)
    return [["docker run --rm proclab:latest true", f"{bare:.2f} s", "1.0"],
            ["proclab lab zombie --fast", f"{lab:.2f} s", f"{lab / bare:.1f}"]]


def snapshot_latency(box, observer, repeat: int = 200) -> list:
    exec_true = timed(lambda: box.run(["true"]), 20)
    fresh = timed(observer.snapshot, repeat)
    return [["docker exec true (one exec round trip)", f"{exec_true * 1000:.1f} ms", "1.0"],
            ["one fresh snapshot from the observer", f"{fresh * 1000:.1f} ms", f"{fresh / exec_true:.2f}"]]


BRIEF_ZOMBIE = "import os,sys,time\nif os.fork()==0: os._exit(0)\ntime.sleep(float(sys.argv[1]))\nos.wait()"


def shortest_zombie(box, observer) -> list:
    rows = []
    for lifetime in (0.2, 0.05, 0.02, 0.005):
        caught = 0
        for _ in range(TRIES):
            watch = observer.watch(lambda s: s.zombies())
            box.run(["python3", "-c", BRIEF_ZOMBIE, str(lifetime)])
            observer.snapshot()  # every snapshot taken while the program ran has been seen
            observer.unwatch(watch)
            caught += watch.match is not None
        rows.append([f"zombie for {lifetime * 1000:g} ms", f"caught {caught}/{TRIES}"])
    return rows


def grading_per_exercise(rt) -> list:
    from lab.grading import catalog, submission
    from lab.grading.conduct import perform

    rows = []
    for name in catalog.names():
        exercise = catalog.load(name)
        solution = submission.load(catalog.folder(name) / "solution.py")
        started = time.perf_counter()
        runs = [perform(rt, exercise, solution, trial) for trial in exercise.trials]
        graded = time.perf_counter() - started
        program = sum(run.exited_at or run.ended for run in runs)
        rows.append([name, len(runs), f"{graded:.1f} s", f"{program:.1f} s", f"{graded - program:.1f} s",
                     f"{(graded - program) / len(runs):.2f} s"])
    return rows


def batch_throughput(count: int = 40) -> list:
    """`count` zombie submissions (the reference, the starter, the typical mistakes, in turn)."""
    rows = []
    with tempfile.TemporaryDirectory() as work:
        folder = wrong_solutions.course("zombie", Path(work, "class"), count)
        times = {}
        for jobs in (1, 2):
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "lab", "grade", "zombie", str(folder), "--out",
                            str(Path(work, f"out{jobs}")), "--jobs", str(jobs)],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times[jobs] = time.perf_counter() - started
            rows.append([f"--jobs {jobs}", f"{times[jobs]:.1f} s", f"{count / times[jobs] * 60:.1f}/min",
                         f"{times[1] / times[jobs]:.2f}"])
    return rows


def main() -> int:
    client = runtime.connect()
    image.ensure(client)
    print(tabulate(lab_against_bare_container(), headers=["what", "median", "ratio"]), "\n")
    with runtime.Runtime(client) as rt:
        box = rt.sandbox("bench")
        observer = Observer(box)
        print(tabulate(snapshot_latency(box, observer), headers=["what", "median", "ratio"]), "\n")
        print(tabulate(shortest_zombie(box, observer), headers=["lifetime", "observer (10 ms period)"]), "\n")
        box.remove()
        print(tabulate(grading_per_exercise(rt), headers=["exercise (reference)", "runs", "grading", "program ran",
                                                           "overhead", "per run"]), "\n")
    print(tabulate(batch_throughput(), headers=["40 zombie submissions", "wall", "throughput", "speed-up"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
