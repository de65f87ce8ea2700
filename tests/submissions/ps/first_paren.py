# mistake: ends the name at the FIRST ')' of /proc/PID/stat, but a name may contain ')'
# fails: name_with_space_and_paren
import os

print("PID PPID STATE NAME")
for pid in sorted(int(e) for e in os.listdir("/proc") if e.isdigit()):
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
    except (FileNotFoundError, ProcessLookupError):
        continue
    head, rest = stat.split(")", 1)
    name = head.split("(", 1)[1]
    state, ppid = rest.split()[:2]
    print(pid, ppid, state, name)
