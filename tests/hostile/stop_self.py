# attack: stops itself (state T)
# verdict: time limit
import os
import signal

os.kill(os.getpid(), signal.SIGSTOP)
