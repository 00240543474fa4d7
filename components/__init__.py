"""Custom Rasa NLU graph components, referenced by name from config.yml."""
