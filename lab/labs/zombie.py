"""Lab: a zombie is a child that has exited and that its parent has not waited for."""

from lab.labs.model import Check, Lab, Run, Shell, Step

LAB = Lab(
    name="zombie",
    summary="a child that exits before its parent waits becomes a zombie (state Z)",
    intro=(
        "When a process exits, the kernel keeps a small record of it -- its PID and exit status "
        "-- until its parent collects it with wait(). Until then the dead child is a zombie: "
        "state Z in ps, '<defunct>' as its command. We start a parent that forks one child "
        "with multiprocessing (the fork start method, asked for explicitly: Python 3.14 "
        "defaults to forkserver on Linux, whose children are not ours). The child returns at "
        "once; the parent does not join it."
    ),
    steps=(
        Step(
            title="A child exits, its parent does not wait",
            say="The parent starts its child and then waits for the lab, without join() or "
                "is_alive() (both call waitpid() and would reap the child as a side effect).",
            do=(Run("parent", "zombie/zombie.py"),),
            checks=(
                Check("a child of the parent (PID {parent}) in state Z",
                      lambda w: w.child("parent", state="Z"), bind="zombie"),
                Check("the parent {parent} still alive", lambda w: w.alive("parent")),
            ),
        ),
        Step(
            title="kill -9 cannot remove a zombie",
            say="A zombie is already dead: there is nothing left to kill. SIGKILL is delivered "
                "and changes nothing; PID {zombie} stays in the table.",
            do=(Shell("kill -9 {zombie}"),),
            checks=(Check("PID {zombie} still a zombie after kill -9",
                          lambda w: w.state("zombie") == "Z", hold=0.5),),
        ),
        Step(
            title="The parent reaps its child",
            say="Only the parent can remove its zombie, by waiting for it. We tell the parent "
                "(PID {parent}) to call join(), which calls waitpid() and collects the status.",
            do=(Shell("kill -USR1 {parent}"),),
            checks=(
                Check("PID {zombie} gone from the table", lambda w: w.gone("zombie")),
                Check("its parent {parent} still alive", lambda w: w.alive("parent")),
            ),
        ),
        Step(
            title="The parent exits",
            say="The parent exits normally. Had it exited without waiting, its zombie would "
                "have been handed to PID 1 -- see `make lab-orphan` and `make lab-init`.",
            do=(Shell("kill -USR1 {parent}"),),
            checks=(Check("the parent exited with status 0", lambda w: w.exit_code("parent") == 0),),
            show=("ps",),
        ),
    ),
    outro=(
        "A zombie costs almost nothing but a PID; a parent that never waits can still fill the "
        "PID table. Reap children: join(), os.wait(), or a SIGCHLD handler (`make lab-reap`)."
    ),
)
