# attack: waits for a signal that never comes
# verdict: time limit
import signal

signal.pause()
