"""What the assistant last talked about, kept in one place so follow-ups can be answered from it.

"how do I start?", "why would that matter?", "sure" or "nah, that isn't it" mean nothing on their
own: they refer to what was just said. Every action that says something a person may follow up on
records it here (`remember`), and `action_follow_up` reads it back (`recall`). Two slots hold it:

- `conversation_context` (influence-free): the whole record, as plain JSON;
- `context_kind` (categorical, featurised): only the kind, so rules can condition on it.

A record is used only while it is fresh: set within the last `FRESH_TURNS` messages. After that
the subject has moved on, and a follow-up gets a clarifying question instead of a stale answer.
"""

from dataclasses import asdict, dataclass, field, replace
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

CONTEXT_SLOT = "conversation_context"
KIND_SLOT = "context_kind"

# The kinds of thing a person can follow up on (the categorical values of `context_kind`).
SIGN, TERM, COACHING, RESULT, SITUATION, SELF_ASSESSMENT = (
    "sign",
    "term",
    "coaching",
    "result",
    "situation",
    "self_assessment",
)
KINDS = (SIGN, TERM, COACHING, RESULT, SITUATION, SELF_ASSESSMENT)

# What a typed yes accepts.
OFFER_COACH = "coach"  # coach `topic`
OFFER_MORE_SIGNS = "more_signs"  # show the signs not shown yet
OFFER_NEXT_STEP = "next_step"  # the next step of `topic`
OFFER_CHOOSE = "choose"  # two things were offered: ask which

# A record set this many person's messages ago or fewer is still what the conversation is about.
FRESH_TURNS = 2


@dataclass(frozen=True)
class Context:
    """One record of what was last said. Fields other than `kind` are filled as the kind needs."""

    kind: Text
    turn: int = 0
    term: Optional[Text] = None  # TERM: dependency, codependency, … difference
    pattern: Optional[Text] = None  # SIGN, RESULT, SELF_ASSESSMENT: the pattern (or lean) meant
    sign_name: Optional[Text] = None  # SIGN: the most important sign shown, in plain words
    topic: Optional[Text] = None  # the coaching topic offered or being coached
    topics: List[Text] = field(default_factory=list)  # RESULT: the plan's topics, in order
    step: int = 0  # COACHING: steps of `topic` shown so far
    offer: Optional[Text] = None  # what a typed yes accepts (OFFER_*)
    told: List[Text] = field(default_factory=list)  # SITUATION: the person's messages so far
    pushed_back: bool = False  # the person has just disagreed with what was said about this

    def to_slot(self) -> Dict[Text, Any]:
        return asdict(self)

    @classmethod
    def from_slot(cls, value: Any) -> Optional["Context"]:
        """The record in a slot value, or None for anything that is not one (old or hand-made)."""
        if not isinstance(value, dict) or value.get("kind") not in KINDS:
            return None
        if not isinstance(value.get("turn", 0), int):
            return None
        known = {name: value[name] for name in cls.__dataclass_fields__ if name in value}
        try:
            return cls(**known)
        except TypeError:
            return None

    def but(self, **changes: Any) -> "Context":
        """The same record with some fields changed (records are immutable)."""
        return replace(self, **changes)


def person_turns(tracker: Tracker) -> int:
    """How many messages the person has sent in this session: the clock records are dated by."""
    return sum(1 for event in tracker.events if event.get("event") == "user")


def last_response(tracker: Tracker) -> Optional[Text]:
    """The name of the assistant's latest response ("utter_ask_rephrase"), if it was a named one."""
    for event in reversed(tracker.events):
        if event.get("event") == "bot":
            return (event.get("metadata") or {}).get("utter_action")
    return None


def remember(tracker: Tracker, context: Context) -> List[EventType]:
    """Events that make `context` what the conversation is about now."""
    dated = context.but(turn=person_turns(tracker))
    return [SlotSet(CONTEXT_SLOT, dated.to_slot()), SlotSet(KIND_SLOT, dated.kind)]


def forget() -> List[EventType]:
    """Events that leave nothing to follow up on (the subject has changed)."""
    return [SlotSet(CONTEXT_SLOT, None), SlotSet(KIND_SLOT, None)]


def recall(tracker: Tracker) -> Optional[Context]:
    """What the conversation is about, if it was said recently enough to be what "that" means."""
    context = Context.from_slot(tracker.get_slot(CONTEXT_SLOT))
    if context is None:
        return None
    age = person_turns(tracker) - context.turn
    return context if 0 <= age <= FRESH_TURNS else None
