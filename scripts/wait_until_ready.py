"""Wait until the assistant can really answer, then print where to chat (used by `make run`).

Messages sent before Rasa has loaded its model are dropped, so the URL is printed only once
`/status` reports a loaded model and the action server answers `/health`. The process then stays
up, because honcho stops every process when one of them exits.
"""

import json
import os
import signal
import sys
import time
import urllib.request

TIMEOUT_SECONDS = 600


def get_json(url: str, token: str | None = None) -> dict | None:
    """GET a JSON document, or None while the server is not answering yet."""
    if token:
        url = f"{url}?token={token}"
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return json.load(response)
    except (OSError, ValueError):
        return None


def main() -> None:
    rasa = f"http://localhost:{os.environ.get('RASA_PORT', '5005')}"
    actions = f"http://localhost:{os.environ.get('ACTIONS_PORT', '5055')}"
    page = f"http://localhost:{os.environ.get('WEB_PORT', '8080')}/"
    token = os.environ.get("RASA_API_TOKEN")
    deadline = time.monotonic() + TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        status = get_json(f"{rasa}/status", token)
        if status and status.get("model_id") and get_json(f"{actions}/health"):
            print(f"\n  Interdependence Coach is ready: open {page}\n  (REST: {rasa}/webhooks/rest/webhook — Ctrl-C stops everything)\n", flush=True)
            signal.pause()
        time.sleep(1)
    sys.exit(f"The assistant did not become ready within {TIMEOUT_SECONDS} s; see the log above.")


if __name__ == "__main__":
    main()
