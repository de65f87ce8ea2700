# mistake: skips processes whose /proc/PID/cmdline is empty, as psutil-style code often does: zombies vanish
# fails: zombies_included
import os

print("PID PPID STATE NAME")
for pid in sorted(int(e) for e in os.listdir("/proc") if e.isdigit()):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            if not f.read():
                continue  # "kernel thread": but a zombie's cmdline is empty too
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
    except (FileNotFoundError, ProcessLookupError):
        continue
    name = stat[stat.index("(") + 1:stat.rindex(")")]
    state, ppid = stat[stat.rindex(")") + 2:].split()[:2]
    print(pid, ppid, state, name)
