# mistake: splits /proc/PID/stat on spaces, which breaks on a name with a space in it
# fails: name_with_space_and_paren
import os

print("PID PPID STATE NAME")
for pid in sorted(int(e) for e in os.listdir("/proc") if e.isdigit()):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().split()
    except (FileNotFoundError, ProcessLookupError):
        continue
    print(fields[0], fields[3], fields[2], fields[1].strip("()"))
