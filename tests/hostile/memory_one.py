# attack: allocates memory without bound in one process
# verdict: memory limit
chunks = []
while True:
    chunks.append(bytearray(b"\x01") * (16 << 20))  # written, so really resident
