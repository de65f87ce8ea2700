"""Init exercise: see README.md. This program runs, but does not do the whole task yet."""

import os
import sys

cmd = os.fork()
if cmd == 0:
    os.execvp(sys.argv[1], sys.argv[1:])  # the child becomes CMD

# TODO: PID 1 ignores every signal it has no handler for: install handlers for SIGTERM and
#       SIGINT that forward the signal to CMD (os.kill)

# TODO: orphans are reparented to PID 1 and stay zombies until it reaps them: wait for any
#       child (os.waitpid(-1, 0)) until the one that ends is CMD
os.waitpid(cmd, 0)

# TODO: exit with CMD's exit status (os.waitstatus_to_exitcode), not 0
sys.exit(0)
