# attack: spins for ever
# verdict: time limit
while True:
    pass
