# attack: double fork and setsid to escape, ignoring SIGTERM, then the main exits 0
# verdict: checks failed
import os
import signal

if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        os.execvp("sleep", ["sleep", "31337.25"])
    os._exit(0)
