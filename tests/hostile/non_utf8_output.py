# attack: writes bytes that are not UTF-8 (and a NUL) to stdout
# verdict: checks failed
import sys

sys.stdout.buffer.write(b"\xff\xfe\x00garbage\x80\n")
