"""Rasa-server-side store wiring: which database and lock store a deployment uses.

Rasa's own `SQLTrackerStore` and `RedisLockStore` do the work; the classes here only pick them
from the environment (`TRACKER_DB_URL`, `LOCK_STORE_URL`) and add the privacy rules
(deletion on request, retention). Import from the submodules.
"""
