# mistake: execs CMD in PID 1 itself: CMD never runs as a child, and nothing reaps or forwards
# fails: starts_cmd reaps_orphans waits_for_cmd exits_with_cmd_status forwards_sigterm forwards_sigint
import os
import sys

os.execvp(sys.argv[1], sys.argv[1:])
