# style: multiprocessing with get_context("fork"): the Process's target execs CMD; os.waitpid(-1, 0) reaps it and the orphans
import multiprocessing
import os
import signal
import sys

if __name__ == "__main__":
    cmd = multiprocessing.get_context("fork").Process(target=os.execvp, args=(sys.argv[1], sys.argv[1:]))
    cmd.start()

    def forward(signum, frame):
        os.kill(cmd.pid, signum)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    while True:
        pid, status = os.waitpid(-1, 0)
        if pid == cmd.pid:
            break
    code = os.waitstatus_to_exitcode(status)
    sys.exit(code if code >= 0 else 128 - code)
