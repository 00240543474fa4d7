"""Safety: the crisis matcher and support actions, and privacy actions.

Kept import-light: rasa-sdk imports every module here when the action server starts, and the Rasa
server imports ``actions.safety.crisis`` from its NLU component. Import from the submodules.
"""
