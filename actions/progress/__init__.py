"""Progress over check-ins: the history kept, a chart of it, and a summary document to take away."""
