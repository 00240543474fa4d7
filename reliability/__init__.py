"""What keeps the Rasa server answerable under abuse and faults: size and rate limits at every
door, an apology when the action server or the tracker store is down, and a health report.

Kept import-light; the channels (channels/) and the server guards (channels/server.py) use it.
"""
