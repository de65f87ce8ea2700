# style: like the real ps: PIDs right-aligned (leading spaces), the name from /proc/PID/comm, state and PPID from stat
from pathlib import Path

print(f"{'PID':>7} {'PPID':>7} S  NAME")
for proc in sorted((p for p in Path("/proc").iterdir() if p.name.isdigit()), key=lambda p: int(p.name)):
    try:
        name = (proc / "comm").read_text().rstrip("\n")
        after_name = (proc / "stat").read_text().rpartition(")")[2]  # the name may hold ')': cut at the last
    except (FileNotFoundError, ProcessLookupError):
        continue
    state, ppid = after_name.split()[:2]
    print(f"{proc.name:>7} {ppid:>7} {state:<2} {name}")
