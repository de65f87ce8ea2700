# style: reads /proc/PID/status (Name, State, PPid lines) and prints tab-separated columns under a header
import os

print("PID\tPPID\tSTATE\tNAME")
for entry in os.listdir("/proc"):
    if not entry.isdigit():
        continue
    fields = {}
    try:
        with open(f"/proc/{entry}/status") as f:
            for line in f:
                key, _, value = line.partition(":")
                fields[key] = value.strip()
    except FileNotFoundError:
        continue  # the process ended meanwhile
    print(entry, fields["PPid"], fields["State"].split()[0], fields["Name"], sep="\t")
