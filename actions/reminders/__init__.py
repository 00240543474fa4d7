"""Actions for reminders: asking for one, the time zone, listing and cancelling (issue 19)."""
