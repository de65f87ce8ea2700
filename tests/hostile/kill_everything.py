# attack: kill -9 -1, kill PID 1, kill the grader's observer
# verdict: checks failed
import os
import signal

for pid in os.listdir("/proc"):
    if pid.isdigit():
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if b"observer" in f.read():
                    os.kill(int(pid), signal.SIGKILL)
        except OSError as error:
            print(f"kill observer {pid}: {error.strerror}", flush=True)
try:
    os.kill(1, signal.SIGKILL)
except OSError as error:
    print(f"kill 1: {error.strerror}", flush=True)
os.kill(-1, signal.SIGKILL)
