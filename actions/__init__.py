"""Custom actions of Interdependence Coach, one module per concern.

rasa-sdk imports every submodule of this package when the action server starts, so modules here
keep their import-time work small and put command-line entry points behind ``__main__`` guards.
"""
