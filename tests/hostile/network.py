# attack: reaches out to the network
# verdict: checks failed
import socket

for address in (("1.1.1.1", 80), ("pypi.org", 443)):
    try:
        socket.create_connection(address, timeout=3)
        print(f"{address}: connected")
    except OSError as error:
        print(f"{address}: {type(error).__name__}: {error}")
