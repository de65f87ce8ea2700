# mistake: takes the PPID from the wrong field of /proc/PID/stat (field 5, the process group)
# fails: parent_pids_right
import os

print("PID PPID STATE NAME")
for pid in sorted(int(e) for e in os.listdir("/proc") if e.isdigit()):
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
    except (FileNotFoundError, ProcessLookupError):
        continue
    name = stat[stat.index("(") + 1:stat.rindex(")")]
    fields = stat[stat.rindex(")") + 2:].split()
    print(pid, fields[2], fields[0], name)
