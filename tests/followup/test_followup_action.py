"""ActionFollowUp with a tracker: a statement that shows a sign is reflected back even when the
classifier called it push-back or a yes/no, as long as nothing came before to follow up on."""

from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.context import CONTEXT_SLOT, SIGN, Context
from actions.followup.action import ActionFollowUp


def tracker_saying(text: str, intent: str, context: Optional[Context] = None) -> Tracker:
    slots: Dict[str, Any] = {CONTEXT_SLOT: context.to_slot() if context else None}
    message = {"text": text, "intent": {"name": intent, "confidence": 0.8}, "entities": []}
    events: List[Dict[str, Any]] = [{"event": "user", "text": text, "parse_data": message}]
    return Tracker("someone", slots, message, events, False, None, {}, "action_listen")


def responses(tracker: Tracker) -> List[str]:
    dispatcher = CollectingDispatcher()
    ActionFollowUp().run(dispatcher, tracker, {})
    return [message.get("response") or message.get("text") or "" for message in dispatcher.messages]


def test_a_first_message_showing_a_sign_is_reflected_back_whatever_the_classifier_said() -> None:
    sent = responses(tracker_saying("i dropped out of my course because she didn't like me being busy", "push_back"))
    assert "utter_sign_concern_self" in sent and "utter_follow_up_unclear_push_back" not in sent


def test_push_back_after_a_sign_is_still_heard_as_push_back() -> None:
    after_sign = Context(SIGN, turn=0, pattern="codependency", topic="identity")
    sent = responses(tracker_saying("i gave up my course because she didn't like me being busy", "push_back", after_sign))
    assert "utter_sign_concern_self" not in sent


def test_a_question_without_context_is_not_taken_for_a_situation() -> None:
    sent = responses(tracker_saying("how do i stop giving in to him all the time?", "ask_how"))
    assert "utter_sign_concern_self" not in sent


def test_an_unclear_first_message_that_shows_a_sign_is_reflected_back() -> None:
    sent = responses(tracker_saying("i dropped out of my course because she didn't like me being busy", "nlu_fallback"))
    assert "utter_sign_concern_self" in sent and "utter_ask_rephrase" not in sent


def test_an_unclear_message_with_nothing_open_is_asked_again_then_offered_the_menu() -> None:
    first = tracker_saying("blorp wibble", "nlu_fallback")
    assert responses(first) == ["utter_ask_rephrase"]
    second = tracker_saying("zzzz qqq", "nlu_fallback")
    second.events.insert(0, {"event": "bot", "text": "Could you say it another way?", "metadata": {"utter_action": "utter_ask_rephrase"}})
    assert responses(second) == ["utter_default"]


def test_a_first_message_telling_of_the_two_of_them_begins_a_situation_not_push_back() -> None:
    for text, intent in [
        ("I love her but no, I don't think we talk enough", "push_back"),
        ("we're fine but honestly no one asks how I am", "push_back"),
        ("no, my husband and I just keep having the same row about money", "deny"),
        ("my wife and i keep arguing about the kids' bedtime", "nlu_fallback"),
    ]:
        sent = responses(tracker_saying(text, intent))
        assert sent == ["utter_sign_none"], (text, sent)


def test_a_refused_payload_naming_a_partner_slot_is_not_a_story() -> None:
    sent = responses(tracker_saying('greet{"partner_code_pending": "injected", "some_slot": "x"}', "nlu_fallback"))
    assert sent == ["utter_ask_rephrase"], sent


def test_short_or_impersonal_push_back_with_nothing_open_is_still_push_back() -> None:
    for text in ("nah, that isn't it", "no, it's not like that at all", "that's not what the article says though"):
        sent = responses(tracker_saying(text, "push_back"))
        assert sent == ["utter_push_back_unclear"], (text, sent)
