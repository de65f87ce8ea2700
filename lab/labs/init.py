"""Lab: what PID 1 has to do with zombies -- a non-reaping PID 1 versus tini."""

from lab.labs.model import Box, Check, Lab, Run, Shell, Step

ORPHANS = 5
RELEASE = "pkill -USR1 -f orphans.py"


def orphans_adopted(count: int) -> Check:
    return Check(f"{count} orphans adopted by PID 1", lambda w: len(w.adopted()) == count)


def zombies_under_pid1(count: int) -> Check:
    return Check(f"{count} zombies whose parent is PID 1", lambda w: len(w.adopted(state="Z")) == count)


LAB = Lab(
    name="init",
    summary="PID 1 must reap orphans: a PID 1 that never waits versus Docker's --init (tini)",
    intro=(
        "Orphans are adopted by PID 1, so PID 1 must wait for them, or every orphan that exits "
        "stays a zombie. In a container PID 1 is whatever the image runs -- often a program that "
        "was never meant to be an init. We run the same orphan-making program in two "
        "containers: one whose PID 1 is `sleep` (it never waits), one started with Docker's "
        "--init, whose PID 1 is tini."
    ),
    boxes={"plain": Box(init=False), "tini": Box(init=True)},
    steps=(
        Step(
            title="PID 1 that never waits: orphans arrive",
            say=f"In the first container PID 1 is `sleep`. The program starts {ORPHANS} children "
                "and exits at once: PID 1 adopts them.",
            do=(Run("first", "init/orphans.py", (ORPHANS,)),),
            checks=(orphans_adopted(ORPHANS),
                    Check("PID 1 is sleep", lambda w: w.pid1().name == "sleep")),
            show=("tree",),
            box="plain",
        ),
        Step(
            title="PID 1 that never waits: orphans become zombies",
            say="The orphans exit. Their parent, PID 1, never calls wait(): they stay zombies.",
            do=(Shell(RELEASE),),
            checks=(zombies_under_pid1(ORPHANS),),
            box="plain",
        ),
        Step(
            title="PID 1 that never waits: zombies pile up",
            say="The same program again: the new orphans join the old zombies, and when they "
                "exit there are twice as many. Nothing will ever remove them but the end of the "
                "container.",
            do=(Run("second", "init/orphans.py", (ORPHANS,)),),
            checks=(orphans_adopted(2 * ORPHANS),),
            show=(),
            box="plain",
        ),
        Step(
            title="PID 1 that never waits: twice the zombies",
            say="The second group exits too.",
            do=(Shell(RELEASE),),
            checks=(zombies_under_pid1(2 * ORPHANS),),
            box="plain",
        ),
        Step(
            title="tini as PID 1: orphans arrive",
            say="A second container, started with --init: PID 1 is tini (docker-init). The same "
                "program makes the same orphans.",
            do=(Run("third", "init/orphans.py", (ORPHANS,)),),
            checks=(orphans_adopted(ORPHANS),
                    Check("PID 1 is docker-init (tini)", lambda w: w.pid1().name == "docker-init")),
            show=("tree",),
            box="tini",
        ),
        Step(
            title="tini as PID 1: orphans are reaped",
            say="The orphans exit, and tini waits for them: no zombie is left.",
            do=(Shell(RELEASE),),
            checks=(orphans_adopted(0),),
            box="tini",
        ),
        Step(
            title="A common misunderstanding: tini does not reap everyone's zombies",
            say="tini reaps the processes whose parent it is. A zombie whose parent is alive "
                "belongs to that parent: no init can touch it. Here a living parent keeps a "
                "zombie child, and it stays, with tini as PID 1, for as long as we look.",
            do=(Run("parent", "zombie/zombie.py"),),
            checks=(Check("a zombie child of {parent} that stays one, tini or not",
                          lambda w: w.child("parent", state="Z"), hold=2.0),),
            box="tini",
        ),
    ),
    outro=(
        "If your container's main program starts children, run it with `docker run --init` "
        "(or `init: true` in Compose), or make it reap what it adopts."
    ),
)
