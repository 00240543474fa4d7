"""Conversations written as data, played against the running assistant and checked on its tracker.

Why data: a conversation reads like the chat a person would have, so anyone can add one without
touching Python. Each YAML file in `conversations/` holds a list of conversations:

    conversations:
      - name: greeting says it is a bot and offers a start
        needs: [reflection_form]     # names the trained model must know, else the feature is
                                     # "not merged yet" and the conversation is skipped, saying so
        given_slots:                 # slots stored before the first message (a check-in result
          reflection_last_result: {...}   # from last week), set through the HTTP API
        known_gap: "why it fails"    # a known defect: expected to fail until fixed (strict xfail)
        turns:
          - user: hello              # sent over REST exactly like this (button payloads too)
            intent: greet            # the classified intent of this message
            responses: [utter_greet, utter_offer_menu]   # response or action names, any order
            first: utter_greet       # the first response name of the turn
            not_responses: [utter_ask_rephrase]
            text: ["automated"]      # fragments (case-insensitive) some reply must contain
            not_text: ["diagnos"]    # fragments no reply may contain
            buttons: [/start_reflection]   # payloads or titles offered in this turn
            slots: {topic: null}     # slot values after the turn; "*" means any non-empty value
            active_loop: null        # the form running after the turn (null: none)
            tracker_lacks: [secret]  # strings the whole stored tracker must not contain afterwards

Response names come from the tracker: `utter_action` of every bot event, plus the names of the
actions that ran (so `action_coach` and `reflection_form` can be expected too).

Every turn is also checked for one thing no conversation has to ask for: the assistant says
goodbye (`utter_goodbye`) only in a turn where the person says goodbye (`intent: goodbye`).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tests.servers import RunningAssistant

CONVERSATIONS_DIR = Path(__file__).with_name("conversations")
ANY_VALUE = "*"
TURN_KEYS = {
    "user", "intent", "responses", "first", "not_responses", "text", "not_text",
    "buttons", "slots", "active_loop", "tracker_lacks",
}
# Actions Rasa runs around every turn; never interesting as a "response".
HOUSEKEEPING_ACTIONS = {"action_listen", "action_session_start"}


@dataclass
class Turn:
    """What the person says and what must be true of the assistant's answer."""

    user: str
    expect: dict[str, Any]


@dataclass
class Conversation:
    name: str
    source: str
    turns: list[Turn]
    needs: list[str] = field(default_factory=list)
    given_slots: dict[str, Any] = field(default_factory=dict)
    known_gap: str | None = None

    @property
    def test_id(self) -> str:
        return f"{self.source}: {self.name}"


@dataclass
class TurnRecord:
    """One played turn as the tracker saw it, for checks and for the failure transcript."""

    user: str
    intent: str | None
    names: list[str]
    replies: list[dict[str, Any]]
    slots: dict[str, Any]
    active_loop: str | None
    stored: str


def load_conversations(directory: Path = CONVERSATIONS_DIR) -> list[Conversation]:
    """Every conversation of every YAML file, rejecting unknown keys so typos cannot pass silently."""
    conversations = []
    for path in sorted(directory.glob("*.yml")):
        document = yaml.safe_load(path.read_text()) or {}
        for entry in document.get("conversations", []):
            turns = []
            for raw_turn in entry["turns"]:
                unknown = set(raw_turn) - TURN_KEYS
                if unknown:
                    raise ValueError(f"{path.name} / {entry['name']}: unknown keys {sorted(unknown)}")
                if not isinstance(raw_turn["user"], str):  # YAML reads a bare yes/no as a boolean
                    raise ValueError(f"{path.name} / {entry['name']}: quote the message {raw_turn['user']!r}")
                expect = {key: value for key, value in raw_turn.items() if key != "user"}
                turns.append(Turn(user=raw_turn["user"], expect=expect))
            conversations.append(
                Conversation(
                    name=entry["name"],
                    source=path.stem,
                    turns=turns,
                    needs=entry.get("needs", []),
                    given_slots=entry.get("given_slots") or {},
                    known_gap=entry.get("known_gap"),
                )
            )
    return conversations


def domain_names(domain: dict[str, Any]) -> set[str]:
    """Every intent, response, action and form name the trained model knows."""
    names: set[str] = set(domain.get("responses", {})) | set(domain.get("forms", {}))
    # Intents and actions with options (use_entities, send_domain) are one-key mappings.
    for name in [*domain.get("intents", []), *domain.get("actions", [])]:
        names |= set(name) if isinstance(name, dict) else {name}
    return names


def expected_names(conversation: Conversation) -> set[str]:
    """The intent/response/action names a conversation relies on."""
    names: set[str] = set(conversation.needs)
    for turn in conversation.turns:
        for key in ("responses", "not_responses"):
            names |= set(turn.expect.get(key, []))
        for key in ("intent", "first", "active_loop"):
            if turn.expect.get(key):
                names.add(turn.expect[key])
    return names


def _turn_events(tracker: dict[str, Any], already_seen: int) -> list[dict[str, Any]]:
    """Events this turn added; all of them when the history was erased (a confirmed deletion)."""
    events = tracker["events"]
    return events[already_seen:] if len(events) >= already_seen else events


def record_turn(
    user: str, events: list[dict[str, Any]], tracker: dict[str, Any], rest_replies: list[dict[str, Any]]
) -> TurnRecord:
    """Summarise the tracker events one message caused.

    When the tracker no longer holds the turn's bot messages (they were erased with the rest of
    the conversation), the replies the REST channel returned are used, without response names.
    """
    intent = None
    names: list[str] = []
    replies: list[dict[str, Any]] = []
    for event in events:
        kind = event.get("event")
        if kind == "user" and intent is None:
            intent = (event.get("parse_data") or {}).get("intent", {}).get("name")
        elif kind == "action" and event.get("name") not in HOUSEKEEPING_ACTIONS:
            names.append(event["name"])
        elif kind == "bot":
            utter_action = (event.get("metadata") or {}).get("utter_action")
            if utter_action:
                names.append(utter_action)
            replies.append(
                {
                    "response": utter_action,
                    "text": event.get("text") or "",
                    "buttons": (event.get("data") or {}).get("buttons") or [],
                }
            )
    if not replies:
        replies = [{"response": None, "text": reply.get("text") or "", "buttons": reply.get("buttons") or []}
                   for reply in rest_replies]
    loop = (tracker.get("active_loop") or {}).get("name")
    return TurnRecord(user, intent, names, replies, dict(tracker.get("slots", {})), loop, json.dumps(tracker))


def check_turn(record: TurnRecord, expect: dict[str, Any]) -> list[str]:
    """Every way the played turn differs from what the conversation expects (empty: all good)."""
    problems = []
    utterances = [name for name in record.names if name.startswith("utter_")]
    texts = " \n".join(reply["text"] for reply in record.replies).lower()
    offered = {value for reply in record.replies for button in reply["buttons"]
               for value in (button.get("payload"), button.get("title"))}

    if "intent" in expect and record.intent != expect["intent"]:
        problems.append(f"intent was {record.intent!r}, expected {expect['intent']!r}")
    for name in expect.get("responses", []):
        if name not in record.names:
            problems.append(f"missing response {name}")
    if "first" in expect and (not utterances or utterances[0] != expect["first"]):
        problems.append(f"first response was {utterances[0] if utterances else None!r}, expected {expect['first']!r}")
    for name in expect.get("not_responses", []):
        if name in record.names:
            problems.append(f"unexpected response {name}")
    for fragment in expect.get("text", []):
        if str(fragment).lower() not in texts:
            problems.append(f"no reply contains {fragment!r}")
    for fragment in expect.get("not_text", []):
        if str(fragment).lower() in texts:
            problems.append(f"a reply contains {fragment!r}")
    for button in expect.get("buttons", []):
        if button not in offered:
            problems.append(f"button {button!r} not offered")
    for slot, wanted in (expect.get("slots") or {}).items():
        actual = record.slots.get(slot)
        if wanted == ANY_VALUE:
            if actual in (None, "", [], {}):
                problems.append(f"slot {slot} is empty, expected a value")
        elif actual != wanted:
            problems.append(f"slot {slot} = {actual!r}, expected {wanted!r}")
    if "active_loop" in expect and record.active_loop != expect["active_loop"]:
        problems.append(f"active loop {record.active_loop!r}, expected {expect['active_loop']!r}")
    for fragment in expect.get("tracker_lacks", []):
        if str(fragment) in record.stored:
            problems.append(f"the stored tracker still contains {fragment!r}")
    if not record.replies:
        problems.append("the assistant sent no reply at all")
    if "utter_goodbye" in record.names and expect.get("intent") != "goodbye":
        problems.append("the assistant said goodbye, but the person did not (no intent: goodbye here)")
    return problems


def transcript(records: list[TurnRecord]) -> str:
    """The conversation so far, as a person would read it, with the names the checks use."""
    lines = []
    for number, record in enumerate(records, 1):
        lines.append(f"[{number}] USER: {record.user!r}   (intent: {record.intent})")
        for reply in record.replies:
            lines.append(f"      BOT  {reply['response'] or '-'}: {reply['text'][:300]!r}")
            for button in reply["buttons"]:
                lines.append(f"           [button] {button.get('title')} -> {button.get('payload')}")
        others = [name for name in record.names if not name.startswith("utter_")]
        lines.append(f"      actions: {others}   active loop: {record.active_loop}")
        filled = {key: value for key, value in record.slots.items() if value not in (None, [], "")}
        lines.append(f"      slots: {json.dumps(filled, default=str)[:600]}")
    return "\n".join(lines)


def play(assistant: RunningAssistant, conversation: Conversation) -> tuple[list[TurnRecord], list[str]]:
    """Play a conversation with a fresh sender; stop at the first turn that does not match."""
    sender = f"e2e-{conversation.source}-{uuid.uuid4().hex[:10]}"
    records: list[TurnRecord] = []
    if conversation.given_slots:
        assistant.set_slots(sender, conversation.given_slots)
    seen = len(assistant.tracker(sender)["events"])
    for turn in conversation.turns:
        rest_replies = assistant.send(sender, turn.user)
        tracker = assistant.tracker(sender)
        record = record_turn(turn.user, _turn_events(tracker, seen), tracker, rest_replies)
        seen = len(tracker["events"])
        records.append(record)
        problems = check_turn(record, turn.expect)
        if problems:
            return records, [f"turn {len(records)} ({turn.user!r}): {problem}" for problem in problems]
    return records, []
