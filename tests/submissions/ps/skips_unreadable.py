# mistake: also reads /proc/PID/exe and skips the processes it may not read (root's), as if they were gone
# fails: lists_every_live_process parent_pids_right sleeping_state_S stopped_state_T zombies_included names_right name_with_space_and_paren
import os

print("PID PPID STATE NAME")
for pid in sorted(int(e) for e in os.listdir("/proc") if e.isdigit()):
    try:
        os.readlink(f"/proc/{pid}/exe")  # for a path column, later
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
    except OSError:
        continue
    name = stat[stat.index("(") + 1:stat.rindex(")")]
    state, ppid = stat[stat.rindex(")") + 2:].split()[:2]
    print(pid, ppid, state, name)
