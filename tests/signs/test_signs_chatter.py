"""The conversation-chatter set: turns that expect no sign are in, turns that name one are out."""

from pathlib import Path

from actions.signs.chatter import _expects_no_sign, chatter, conversation_messages
from actions.signs.corpus import load_train


def test_a_turn_that_names_a_sign_is_not_chatter() -> None:
    assert not _expects_no_sign({"intent": "share_situation", "responses": ["utter_sign_concern_self"]})
    assert not _expects_no_sign({"responses": ["utter_situation_summary", "utter_sign_offer_step"]})


def test_a_situation_read_with_nothing_ruled_out_is_not_chatter() -> None:
    assert not _expects_no_sign({"intent": "share_situation", "responses": ["action_analyse_situation"]})
    assert not _expects_no_sign({})  # a turn that checks nothing


def test_a_turn_that_rules_a_sign_out_is_chatter() -> None:
    assert _expects_no_sign({"responses": ["utter_situation_summary", "utter_situation_no_pattern"]})
    assert _expects_no_sign({"intent": "share_situation", "responses": ["action_analyse_situation"],
                             "not_responses": ["utter_sign_concern_self"]})
    assert _expects_no_sign({"intent": "affirm", "responses": ["action_follow_up"]})


def test_conversation_chatter_holds_the_known_false_alarms(tmp_path: Path) -> None:
    (tmp_path / "c.yml").write_text(
        "conversations:\n  - turns:\n"
        "      - user: yeah go on then\n        responses: [utter_sign_more]\n"
        "      - user: /affirm\n        responses: [utter_greet]\n"
        "      - user: I always give in\n", encoding="utf-8")
    assert conversation_messages(tmp_path) == ["yeah go on then"]


def test_chatter_is_never_trained_on() -> None:
    texts = {" ".join(text.lower().split()) for text in chatter()}
    assert len(texts) > 1000
    assert not [e.source for e in load_train() if " ".join(e.text.lower().split()) in texts]
