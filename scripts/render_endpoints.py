"""Print endpoints.yml with the action server port taken from ACTIONS_PORT.

Rasa's endpoint files cannot give an environment variable a default, so `make run` and the
server tests render a copy instead of asking everyone to export the variable.
"""

import argparse
import os
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent


def render(actions_port: int, tracker_db: str | None) -> dict:
    """Return the endpoint configuration for these ports and this tracker database file."""
    endpoints = yaml.safe_load((REPO / "endpoints.yml").read_text())
    endpoints["action_endpoint"]["url"] = f"http://localhost:{actions_port}/webhook"
    if tracker_db is not None:
        endpoints["tracker_store"]["db"] = tracker_db
    return endpoints


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--actions-port", type=int, default=int(os.environ.get("ACTIONS_PORT", 5055)))
    parser.add_argument("--tracker-db", help="SQLite file for the tracker store")
    args = parser.parse_args()
    yaml.safe_dump(render(args.actions_port, args.tracker_db), sys.stdout, sort_keys=False)


if __name__ == "__main__":
    main()
