# mistake: runs the system's ps instead of reading /proc (its output is right, but ps lists itself)
# fails: reads_proc_itself
import subprocess

print("PID PPID STATE NAME")
print(subprocess.run(["ps", "-eo", "pid=,ppid=,stat=,comm="], capture_output=True, text=True, check=True).stdout, end="")
