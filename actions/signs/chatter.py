"""Conversation chatter: what people really send that is not a described situation.

The model's worst false alarms were in conversation ("yeah go on then" read as people-pleasing),
where the corpus sets do not look. This set is gathered, not written: every user message of
tests/e2e/conversations whose turn expects no sign, and the NLU examples of intents that are not a
situation. It only measures (scripts/eval_signs.py chatter); it is never trained on.
"""

import re
from pathlib import Path
from typing import Iterable, List

import yaml

REPO = Path(__file__).resolve().parents[2]
CONVERSATIONS = REPO / "tests" / "e2e" / "conversations"
NLU_DIR = REPO / "data" / "nlu"
# Intents whose examples may describe a situation (and so carry a sign), or a crisis.
SITUATION_INTENTS = frozenset({"share_situation", "answer_reflection", "crisis", "nlu_fallback"})
# Coaching requests often open with the situation ("i can't say no to my mum, how do i start"):
# their NLU examples are left out; a conversation turn asking for coaching counts by its expectations.
NOT_CHATTER_NLU = SITUATION_INTENTS | {"ask_coaching"}
# A turn with one of these responses names a sign.
SIGN_NAMED = re.compile(r"utter_sign_(concern|healthy|offer)|utter_push_back_ack_sign")
# A turn with one of these responses was read and found to show no sign.
NO_SIGN_RESPONSE = re.compile(
    r"utter_sign_none|utter_situation_go_on|utter_situation_short_reply|utter_situation_no_pattern|utter_situation_wish"
)
# Crises are not chatter.
SKIPPED_FILES = frozenset({"safety.yml"})


def _expects_no_sign(turn: dict) -> bool:
    said = " ".join(str(item) for key in ("responses", "text") for item in turn.get(key) or [])
    if SIGN_NAMED.search(said) or not (said or turn.get("intent")):
        return False  # a sign named, or a turn that checks nothing
    if NO_SIGN_RESPONSE.search(said) or "utter_sign_concern_self" in (turn.get("not_responses") or []):
        return True
    # a situation read for signs with nothing ruled out may carry one: not chatter
    reads = "action_analyse_situation" in said or "utter_situation_summary" in said
    return turn.get("intent") not in SITUATION_INTENTS and not reads


def conversation_messages(folder: Path = CONVERSATIONS) -> List[str]:
    """User messages of turns that expect no sign (typed payloads left out)."""
    found = []
    for path in sorted(folder.glob("*.yml")):
        if path.name in SKIPPED_FILES:
            continue
        for conversation in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("conversations") or []:
            for turn in conversation.get("turns") or []:
                text = str(turn.get("user", ""))
                if text.strip() and not text.startswith("/") and _expects_no_sign(turn):
                    found.append(text)
    return found


def nlu_messages(folder: Path = NLU_DIR) -> List[str]:
    """NLU examples of intents that are neither a situation nor a coaching request (entity markup removed)."""
    found = []
    for path in sorted(folder.glob("*.yml")):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            if "intent" not in block or block["intent"] in NOT_CHATTER_NLU:
                continue
            for line in str(block.get("examples", "")).splitlines():
                text = re.sub(r"\[([^\]]*)\](\{[^}]*\}|\([^)]*\))", r"\1", line.strip().lstrip("- ").strip())
                if text:
                    found.append(text)
    return found


def _unique(texts: Iterable[str]) -> List[str]:
    seen, kept = set(), []
    for text in texts:
        key = " ".join(text.lower().split())
        if key not in seen:
            seen.add(key)
            kept.append(text)
    return kept


def chatter() -> List[str]:
    """The whole set, each text once."""
    return _unique(conversation_messages() + nlu_messages())
