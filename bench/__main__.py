"""`make bench`: how fast the lab is, as ratios against a baseline measured in the same run.

1. `proclab lab zombie --fast`, on each backend, against a bare `docker run --rm proclab:latest
   true`; and in place (`--backend local`) against Docker.
2. The latency of one fresh process-table snapshot, against one plain `docker exec true`.
3. The shortest-lived zombie the observer catches: 20 tries for each lifetime.
4. Grading each exercise's reference on each backend, and the grader's overhead per run: grading
   time minus the time the program itself ran (as observed, summed over the exercise's trials),
   divided by the trials. The goal for grading in place is at most 0.1 s per run.
5. Batch throughput: 40 submissions graded with --jobs 1 against --jobs 2.

Numbers are wall-clock and depend on the machine; the ratios are what to compare across runs.
Nothing here asserts a time: a benchmark that fails on a slow machine measures the machine.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

from tabulate import tabulate

from lab.backends import docker as docker_backend
from lab.grading import catalog, submission
from lab.grading.conduct import perform
from lab.grading.grader import judge
from lab.observe import Observer
from lab.sandbox import connect
from tests import wrong_solutions

TRIES = 20
REPEAT = 3  # gradings of each reference on each backend: the median of these is shown
GOAL = 0.1  # seconds of overhead per run that grading in place should stay within (the backends issue)


def medians(measure, repeat: int) -> tuple:
    """Call `measure()` `repeat` times; it returns a tuple of seconds; the median of each place.

    The median, not the mean: one run slowed by something else on the machine (a page cache
    miss, the engine's own housekeeping) moves it little, so two runs of the bench compare.
    """
    samples = [measure() for _ in range(repeat)]
    return tuple(statistics.median(column) for column in zip(*samples))


def stopwatch(function) -> float:
    """The wall time of one call of `function()`."""
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def timed(function, repeat: int) -> float:
    """The median wall time of `function()` over `repeat` runs."""
    return medians(lambda: (stopwatch(function),), repeat)[0]


def show(rows: list, headers: list, note: str = "") -> None:
    """One table of results, then what a reader needs to read it (if anything), then a blank line."""
    print(tabulate(rows, headers=headers))
    if note:
        print(note)
    print(flush=True)


def ratio(numerator: float, denominator: float) -> str:
    return f"{numerator / denominator:.2f}" if denominator > 0 else "-"


@contextmanager
def allowed_on_host():
    """PROCLAB_ALLOW_HOST=1 in this process only, for as long as the local engine is connected.

    The local backend refuses to grade untrusted code on a bare host without it; the references
    are ours, so the bench may. Set here rather than in the Makefile so that the subprocesses
    this bench starts (`proclab grade`, `proclab lab`) never inherit it.
    """
    before = os.environ.get("PROCLAB_ALLOW_HOST")
    os.environ["PROCLAB_ALLOW_HOST"] = "1"
    try:
        yield
    finally:
        if before is None:
            del os.environ["PROCLAB_ALLOW_HOST"]
        else:
            os.environ["PROCLAB_ALLOW_HOST"] = before


def lab_against_bare_container(failures: dict, repeat: int = 5) -> list:
    """The three commands in turn, `repeat` times: a slow spell of the machine slows all three."""
    commands = {f"docker run --rm {docker_backend.IMAGE} true":
                ["docker", "run", "--rm", "--network", "none", "--label", docker_backend.LABEL,
                 docker_backend.IMAGE, "true"]}
    for backend in ("docker", "local"):
        commands[f"proclab lab zombie --fast --backend {backend}"] = [
            sys.executable, "-m", "lab", "lab", "zombie", "--fast", "--backend", backend]

    def each_once():
        return tuple(stopwatch(lambda: command(what, argv, failures)) for what, argv in commands.items())

    times = dict(zip(commands, medians(each_once, repeat)))
    (baseline, bare), *labs = times.items()
    docker = labs[0][1]
    return [[baseline, f"{bare:.2f} s", "1.00", ""],
            *([what, f"{seconds:.2f} s" + (" FAILED" if what in failures else ""), ratio(seconds, bare),
               ratio(seconds, docker)] for what, seconds in labs)]


def command(what: str, argv: list, failures: dict) -> None:
    """Run `argv` to its end, its output dropped. A failure is noted in `failures` (what -> its
    status and the last line it printed), not fatal: the rest of the bench is still worth having,
    and the time of a failed command is marked as such."""
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode:
        failures[what] = f"status {done.returncode}: {(done.stderr.strip().splitlines() or [''])[-1]}"


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


def graded(engine, exercise, solution, misses: Counter) -> tuple:
    """(grading time, the grader's overhead in it) of one grading of `solution`.

    This is what `grader.grade` does for a submission that runs (every trial, then every check),
    spelled out because `grade` keeps the runs to itself and the program's own time is in them:
    from its release to its exit as observed (or to the end of the recording, if it never
    exited). The rest — sandbox start and removal, copying files in, the observer, the launcher,
    the checks — is the grader's overhead. A reference that misses full marks is counted in
    `misses`, not fatal: its timings are still a grading's, and the miss is itself a finding.
    """
    started = time.perf_counter()
    runs = [perform(engine, exercise, solution, trial) for trial in exercise.trials]
    failed = [check.name for check in judge(exercise, runs) if not check.passed]
    wall = time.perf_counter() - started
    if failed:
        misses[f"{exercise.name} on {engine.name}: {', '.join(failed)}"] += 1
    return wall, wall - sum(run.exited_at if run.exited_at is not None else run.ended for run in runs)


def grading_per_exercise(engines: dict, misses: Counter) -> list:
    """For each exercise, the median grading of the reference on each backend (the backends in
    turn, `REPEAT` times), the overhead per run on each, and local's against Docker's."""
    rows, totals = [], {backend: [0.0, 0] for backend in engines}
    for name in catalog.names():
        exercise = catalog.load(name)
        solution = submission.load(catalog.folder(name) / "solution.py")
        trials = len(exercise.trials)
        timings = medians(lambda: tuple(seconds for engine in engines.values()
                                        for seconds in graded(engine, exercise, solution, misses)), REPEAT)
        row, per_run = [name, trials], {}
        for backend, (wall, overhead) in zip(engines, zip(timings[::2], timings[1::2])):  # graded's pairs
            per_run[backend] = overhead / trials
            totals[backend][0] += overhead
            totals[backend][1] += trials
            row += [f"{wall:.2f} s", f"{per_run[backend]:.3f} s"]
        rows.append(row + [ratio(per_run["local"], per_run["docker"]), _goal(per_run["local"])])
    overall = {backend: seconds / runs for backend, (seconds, runs) in totals.items()}
    rows.append(["all", totals["docker"][1], "", f"{overall['docker']:.3f} s", "", f"{overall['local']:.3f} s",
                 ratio(overall["local"], overall["docker"]), _goal(overall["local"])])
    return rows


def _goal(seconds: float) -> str:
    return "yes" if seconds <= GOAL else "no"


def batch_throughput(count: int = 40) -> list:
    """`count` zombie submissions (the reference, the starter, the typical mistakes, in turn)."""
    rows = []
    with tempfile.TemporaryDirectory() as work:
        folder = wrong_solutions.course("zombie", Path(work, "class"), count)
        times = {}
        for jobs in (1, 2):
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "lab", "grade", "zombie", str(folder), "--out",
                            str(Path(work, f"out{jobs}")), "--jobs", str(jobs), "--backend", "docker"],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times[jobs] = time.perf_counter() - started
            rows.append([f"--jobs {jobs}", f"{times[jobs]:.1f} s", f"{count / times[jobs] * 60:.1f}/min",
                         f"{times[1] / times[jobs]:.2f}"])
    return rows


def main() -> int:
    started = time.perf_counter()
    with connect("docker", purpose="grade") as docker:  # builds the image if it is missing
        failures = {}
        show(lab_against_bare_container(failures), ["what", "median", "against bare container", "against docker"],
             "\n".join(f"FAILED: {what}: {why}" for what, why in failures.items()))
        box = docker.sandbox("bench")
        observer = Observer(box)
        show(snapshot_latency(box, observer), ["what", "median", "ratio"])
        show(shortest_zombie(box, observer), ["lifetime", "observer (10 ms period)"])
        box.remove()
        with allowed_on_host():
            local = connect("local", purpose="grade")  # the permission is checked here only
        with local:
            misses = Counter()
            show(grading_per_exercise({"docker": docker, "local": local}, misses),
                 ["exercise (reference)", "runs", "docker: grading", "overhead/run", "local: grading",
                  "overhead/run", "local/docker", f"local ≤ {GOAL:g} s/run"],
                 "\n".join([f"median of {REPEAT} gradings on each backend; overhead = grading time - the program's "
                            "own run time; local graded as root, with PROCLAB_ALLOW_HOST=1 set in this process "
                            "only (a bare host)",
                            *(f"NOT FULL MARKS: {miss} ({count} of {REPEAT} gradings)"
                              for miss, count in misses.items())]))
    show(batch_throughput(), ["40 zombie submissions", "wall", "throughput", "speed-up"])
    print(f"bench: {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
