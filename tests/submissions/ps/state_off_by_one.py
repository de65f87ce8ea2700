# mistake: off by one after the name: prints field 4 (the PPID) as the state
# fails: sleeping_state_S stopped_state_T zombies_included name_with_space_and_paren
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
    print(pid, fields[1], fields[1], name)
