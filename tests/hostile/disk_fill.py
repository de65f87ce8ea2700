# attack: fills the disk: /tmp and the working directory
# verdict: checks failed
import errno
import os

for place in ("/tmp/fill", "fill"):
    try:
        with open(place, "wb") as f:
            while True:
                f.write(b"\x01" * (1 << 20))
                f.flush()
    except OSError as error:
        print(f"{place}: {errno.errorcode[error.errno]}")
    os.remove(place)
