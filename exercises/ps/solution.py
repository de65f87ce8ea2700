"""Reference solution: a ps that reads /proc itself, zombies included."""

import os

print("PID PPID STATE NAME")
for pid in sorted(int(entry) for entry in os.listdir("/proc") if entry.isdigit()):
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
    except (FileNotFoundError, ProcessLookupError):
        continue  # it ended between the listing and the read
    # "PID (NAME) STATE PPID ...": NAME may hold spaces and ')', so it ends at the LAST ')'
    name = stat[stat.index("(") + 1:stat.rindex(")")]
    state, ppid = stat[stat.rindex(")") + 2:].split()[:2]
    print(pid, ppid, state, name)
