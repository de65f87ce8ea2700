# attack: sleeps for ever
# verdict: time limit
import time

time.sleep(10**6)
