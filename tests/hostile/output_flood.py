# attack: prints without end, to stdout and stderr
# verdict: output limit
import sys

line = "flood " * 100 + "\n"
while True:
    sys.stdout.write(line)
    sys.stderr.write(line)
