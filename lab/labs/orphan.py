"""Lab: an orphan is a running process whose parent has exited; PID 1 adopts it."""

from lab.labs.model import Check, Lab, Run, Shell, Step

LAB = Lab(
    name="orphan",
    summary="a child whose parent exits is adopted by PID 1",
    intro=(
        "Every process has a parent (its PPID). If the parent exits first, the child does not "
        "die with it: it becomes an orphan, and the kernel gives it a new parent -- PID 1 of "
        "its PID namespace (or the nearest ancestor that declared itself a 'subreaper'). In "
        "this container PID 1 is Docker's init, tini."
    ),
    steps=(
        Step(
            title="A parent and its child",
            say="The parent forks a child with os.fork() (a multiprocessing parent would join its "
                "children when it exits, and no orphan would appear).",
            do=(Run("parent", "orphan/orphan.py"),),
            checks=(Check("a running child of the parent {parent}",
                          lambda w: w.child("parent", state="S"), bind="child"),),
            show=("tree",),
        ),
        Step(
            title="The parent exits first",
            say="The parent exits without waiting. Its child, PID {child}, goes on running and "
                "is handed to PID 1.",
            do=(Shell("kill -USR1 {parent}"),),
            checks=(
                Check("the parent {parent} gone", lambda w: w.gone("parent")),
                Check("PID {child} alive with PPID 1",
                      lambda w: w.alive("child") and w.ppid("child") == 1),
                Check("PID 1 is docker-init (tini)", lambda w: w.pid1().name == "docker-init"),
            ),
            show=("tree", "ps"),
        ),
        Step(
            title="Who is PID 1?",
            say="The adoptive parent is the first process of the container. Docker's --init "
                "runs tini as PID 1, and tini runs the container's command (`sleep`).",
            do=(Shell("ps -o pid,ppid,stat,args -p 1"),),
            checks=(Check("PID 1 is docker-init (tini)", lambda w: w.pid1().name == "docker-init"),),
            show=(),
        ),
        Step(
            title="The orphan exits, and its new parent reaps it",
            say="The orphan exits. Its parent is now tini, which waits for every child that "
                "reaches it, so PID {child} does not even stay a zombie.",
            do=(Shell("kill -USR1 {child}"),),
            checks=(Check("PID {child} gone entirely (reaped by PID 1)", lambda w: w.gone("child")),),
        ),
    ),
    outro=(
        "Orphans are harmless when PID 1 reaps. `make lab-init` shows what happens when PID 1 "
        "is a program that never waits."
    ),
)
