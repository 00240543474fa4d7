"""Reminders people ask for: parsing their time, storing them beside the conversations, firing them.

Shared by the action server (asking, listing, cancelling) and the Rasa server (the scheduler).
"""
