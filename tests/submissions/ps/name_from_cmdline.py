# mistake: prints the program of the command line as NAME (like ps's COMMAND), not the kernel's name (comm)
# fails: names_right name_with_space_and_paren
import os

print("PID PPID STATE NAME")
for pid in sorted(int(e) for e in os.listdir("/proc") if e.isdigit()):
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            argv = f.read().split(b"\0")
    except (FileNotFoundError, ProcessLookupError):
        continue
    comm = stat[stat.index("(") + 1:stat.rindex(")")]
    name = os.path.basename(argv[0].decode()) or f"[{comm}]"
    state, ppid = stat[stat.rindex(")") + 2:].split()[:2]
    print(pid, ppid, state, name)
