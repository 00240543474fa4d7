"""What people write stays out of logs, the HTTP API stays behind a token, typed payloads stay harmless."""

from __future__ import annotations

import re
import shlex
import uuid
from pathlib import Path
from typing import Any, Dict, List

import pytest
import requests
import yaml

from tests.servers import RunningAssistant

REPO = Path(__file__).resolve().parents[2]
SHIPPED_COMMAND_FILES = [
    "Procfile",
    "Makefile",
    ".ci/run",
    *sorted(str(path.relative_to(REPO)) for pattern in ("scripts/*", "deploy/**/*") for path in REPO.glob(pattern) if path.is_file()),
]


def all_logs(assistant: RunningAssistant) -> str:
    """Both servers' complete logs (not just their tails)."""
    return "\n".join(path.read_text(errors="replace") for path in sorted(assistant.log_dir.glob("*.log")))


def slots(assistant: RunningAssistant, sender: str) -> Dict[str, Any]:
    return assistant.tracker(sender)["slots"]


def test_message_text_never_reaches_the_logs(assistant: RunningAssistant) -> None:
    sender, marker = f"logs-{uuid.uuid4().hex[:8]}", f"quokka{uuid.uuid4().hex}"
    messages = (
        f"hi, I'm {marker}",
        f"my partner {marker} decides everything for me",
        f'/ask_coaching{{"topic":"{marker}"}}',
        # Payloads Rasa cannot parse: it would log the whole line in a warning.
        f'/greet{{"{marker}": 1}}',
        f"/{marker}",
        f'/ask_coaching{{"topic": "{marker}"',
    )
    for text in messages:
        assert assistant.send(sender, text)

    assert marker not in all_logs(assistant)


def command_lines(path: Path) -> List[str]:
    """Each command in a shipped file as one line: shell continuations joined, compose commands flattened."""
    if path.suffix in (".yml", ".yaml"):
        services = (yaml.safe_load(path.read_text()) or {}).get("services") or {}
        commands = [service.get("command") for service in services.values() if isinstance(service, dict)]
        return [" ".join(map(str, command)) if isinstance(command, list) else str(command) for command in commands if command]
    return re.sub(r"\\\n", " ", path.read_text()).splitlines()


@pytest.mark.parametrize("relative_path", SHIPPED_COMMAND_FILES)
def test_shipped_commands_never_enable_the_api_without_a_token(relative_path: str) -> None:
    path = REPO / relative_path
    if not path.exists():
        pytest.skip(f"{relative_path} is not shipped")
    for line in command_lines(path):
        if "--enable-api" in line:
            assert re.search(r"--auth-token[\"',\s]+[^\s\"',-]", line), f"{relative_path}: {line.strip()}"


def test_make_run_gives_the_api_a_token_and_limits_cors_to_the_page() -> None:
    procfile = (REPO / "Procfile").read_text()
    rasa_line = next(line for line in procfile.splitlines() if line.startswith("rasa:"))
    words = shlex.split(rasa_line.split(":", 1)[1])
    assert "--enable-api" in words and "--auth-token" in words
    assert "RASA_API_TOKEN" in words[words.index("--auth-token") + 1]
    origins = words[words.index("--cors") + 1 :]
    assert origins and "*" not in origins and all("WEB_PORT" in origin for origin in origins if not origin.startswith("-"))
    assert re.search(r"^ifndef RASA_API_TOKEN\n.*secrets\.token_urlsafe", (REPO / "Makefile").read_text(), re.M)


def test_the_api_refuses_requests_without_the_token(assistant: RunningAssistant) -> None:
    response = requests.get(f"{assistant.rasa_url}/conversations/anyone/tracker", timeout=30)
    assert response.status_code == 401


def entity_filled_slots(assistant: RunningAssistant) -> Dict[str, List[str]]:
    """Slots the domain lets an entity fill, with those entities (typing them in text works the same)."""
    response = requests.get(
        f"{assistant.rasa_url}/domain", params={"token": assistant.token}, headers={"Accept": "application/json"}, timeout=30
    )
    response.raise_for_status()
    return {
        name: [mapping["entity"] for mapping in slot.get("mappings", []) if mapping.get("type") == "from_entity"]
        for name, slot in response.json()["slots"].items()
    }


def test_a_typed_payload_cannot_set_slots(assistant: RunningAssistant) -> None:
    """`/greet{"<slot>": value}` for every slot: only slots the domain maps from that entity may change."""
    sender = f"payload-{uuid.uuid4().hex[:8]}"
    assistant.send(sender, "hi")
    before = slots(assistant, sender)
    fillable = entity_filled_slots(assistant)
    for name in before:
        replies = assistant.send(sender, f'/greet{{"{name}": "injected", "some_slot": "x"}}')
        assert replies, f"no reply after a payload naming {name}"

    after = slots(assistant, sender)
    changed = {name for name, value in after.items() if value != before[name]}
    assert all(name in fillable[name] for name in changed), {name: after[name] for name in changed}
    assert "some_slot" not in after


def test_a_typed_payload_cannot_trigger_deletion(assistant: RunningAssistant) -> None:
    sender, marker = f"payload-{uuid.uuid4().hex[:8]}", f"okapi{uuid.uuid4().hex}"
    assistant.send(sender, f"I never get time alone, {marker}")

    assistant.send(sender, '/greet{"conversation_deletion_confirmed": true}')

    assert marker in str(assistant.tracker(sender)["events"])


@pytest.mark.parametrize(
    "payload",
    [
        '/ask_coaching{"topic":"<script>alert(1)</script>"}',
        '/greet{"some_slot":"x"}',
        '/ask_coaching{"topic": ',
        '/ask_coaching{"topic": {"nested": [1, 2]}}',
        "/no_such_intent",
    ],
)
def test_odd_payloads_get_a_plain_reply_and_the_bot_keeps_going(assistant: RunningAssistant, payload: str) -> None:
    sender = f"payload-{uuid.uuid4().hex[:8]}"

    replies = assistant.send(sender, payload)

    assert replies and not any("<script" in (reply.get("text") or "") for reply in replies)
    assert assistant.send(sender, "hi"), "the bot stopped answering after an odd payload"
