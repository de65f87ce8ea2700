"""Lab: three ways to reap children -- wait(), a SIGCHLD handler, and SIG_IGN."""

import signal

from lab.labs.model import Check, Lab, Run, Shell, Step

CHILDREN = 10
SIGCHLD = signal.SIGCHLD
SIGNAL_MASKS = "grep -E '^Sig(Cgt|Ign)' /proc/{%s}/status"


def children_started(role: str) -> Check:
    return Check(f"{CHILDREN} children of the parent {{{role}}}, each waiting on the pipe",
                 lambda w: len(w.children(role, state="S")) == CHILDREN)


def no_children_left(role: str) -> Check:
    return Check(f"no child of {{{role}}} left, not even a zombie, while {{{role}}} lives",
                 lambda w: w.alive(role) and not w.children(role))


LAB = Lab(
    name="reap",
    summary="reaping children: wait()/join(), a SIGCHLD handler, and SIGCHLD set to SIG_IGN",
    intro=(
        f"A zombie stays until its parent collects it. Here one program shows the three ways to "
        f"do that. Each time it starts {CHILDREN} children that block on one pipe; when the "
        f"parent closes the pipe, all {CHILDREN} exit at the same moment."
    ),
    steps=(
        Step(
            title="wait(): children first",
            say="The first parent will reap with os.wait(), the classic way (join() does the same).",
            do=(Run("waiter", "reap/reap.py", ("wait", CHILDREN)),),
            checks=(children_started("waiter"),),
            show=("tree",),
        ),
        Step(
            title="wait(): the children exit, and are zombies until the parent waits",
            say="The parent closes the pipe: all children exit. It has not called wait() yet.",
            do=(Shell("kill -USR1 {waiter}"),),
            checks=(Check(f"{CHILDREN} zombie children of {{waiter}}",
                          lambda w: len(w.children("waiter", state="Z")) == CHILDREN),),
        ),
        Step(
            title="wait(): the parent waits",
            say=f"The parent calls os.wait() {CHILDREN} times; each call collects one zombie.",
            do=(Shell("kill -USR1 {waiter}"),),
            checks=(no_children_left("waiter"),),
            show=("zombies",),
        ),
        Step(
            title="A SIGCHLD handler",
            say="The kernel sends SIGCHLD to a parent whenever a child ends. This parent installs "
                "a handler for it; /proc/<pid>/status shows the handler as bit 17 (SIGCHLD) of "
                "the SigCgt mask ('signals caught').",
            do=(Shell("kill -USR1 {waiter}"),
                Run("handler", "reap/reap.py", ("handler", CHILDREN)),
                Shell(SIGNAL_MASKS % "handler")),
            checks=(children_started("handler"),
                    Check("SIGCHLD caught by {handler} (SigCgt bit 17)",
                          lambda w: w.catches("handler", SIGCHLD))),
            show=(),
        ),
        Step(
            title="A SIGCHLD handler: many children exit at once",
            say=f"All {CHILDREN} children exit at the same moment. Signals of one kind do not "
                "queue: the parent may get a single SIGCHLD for all of them. The handler loops "
                "waitpid(-1, WNOHANG) until nothing is left, so every child is reaped; the main "
                "flow never waits.",
            do=(Shell("kill -USR1 {handler}"),),
            checks=(no_children_left("handler"),),
        ),
        Step(
            title="SIG_IGN: children that never become zombies",
            say="The last parent sets SIGCHLD to SIG_IGN: it tells the kernel it will never "
                "wait, so the kernel reaps its children itself. SigIgn ('signals ignored') has "
                "bit 17 set.",
            do=(Shell("kill -USR1 {handler}"),
                Run("ignorer", "reap/reap.py", ("ignore", CHILDREN)),
                Shell(SIGNAL_MASKS % "ignorer")),
            checks=(children_started("ignorer"),
                    Check("SIGCHLD ignored by {ignorer} (SigIgn bit 17)",
                          lambda w: w.ignores("ignorer", SIGCHLD))),
            show=(),
        ),
        Step(
            title="SIG_IGN: no zombie, and wait() fails with ECHILD",
            say="The children exit. The observer looks at every snapshot: none may show a "
                "zombie. Then os.wait() finds no child to wait for and fails with ECHILD; the "
                "program exits with that error number, 10.",
            do=(Shell("kill -USR1 {ignorer}"),),
            checks=(Check("os.wait() failed with ECHILD (exit status 10)",
                          lambda w: w.exit_code("ignorer") == 10)),
            never=Check("a zombie child of {ignorer}", lambda w: w.children("ignorer", state="Z")),
        ),
    ),
    outro=(
        "wait()/join() when the parent knows when to wait; a looping SIGCHLD handler when it "
        "must not block; SIG_IGN when it never needs the exit statuses (note: it also makes "
        "multiprocessing's exitcode and subprocess's returncode useless)."
    ),
)
