# attack: opens files until the limit
# verdict: crashed: OSError
files = []
while True:
    files.append(open("/dev/null"))
