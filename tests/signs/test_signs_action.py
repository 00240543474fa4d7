"""action_analyse_situation, run with rasa_sdk trackers; replies are rendered with the real
templates of domain/signs.yml and domain/followups.yml, so the tests read what the person would read."""

import copy
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
import yaml
from rasa.core.nlg.interpolator import interpolate
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.signs import Sign
from actions.signs import action as action_module
from actions.signs.action import ActionAnalyseSituation, plain_quote
from actions.signs.reader import Reading

REPO = Path(__file__).resolve().parents[2]
RESPONSES = {
    name: variations
    for part in ("signs.yml", "followups.yml")
    for name, variations in yaml.safe_load((REPO / "domain" / part).read_text(encoding="utf-8"))["responses"].items()
}
MARKUP = ("<", ">", "**", "](", "`", "__")


def tracker(text: str, intent: str = "share_situation", slots: Optional[Dict[str, Any]] = None) -> Tracker:
    return Tracker(
        sender_id="signs-test",
        slots=slots or {},
        latest_message={"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": []},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def run(text: str, intent: str = "share_situation", slots: Optional[Dict[str, Any]] = None):
    dispatcher = CollectingDispatcher()
    events = ActionAnalyseSituation().run(dispatcher, tracker(text, intent, slots), {})
    return dispatcher.messages, events


def render(message: Dict[str, Any]) -> List[Dict[str, Any]]:
    """Every variation of the message's response, filled in as Rasa fills it."""
    variations = RESPONSES[message["response"]]
    return [interpolate(copy.deepcopy(variation), message) for variation in variations]


def texts(messages: List[Dict[str, Any]]) -> List[str]:
    return [variation["text"] for message in messages for variation in render(message)]


def sign_messages(messages: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    return [m for m in messages if m["response"].startswith(("utter_sign_concern", "utter_sign_healthy"))]


def test_the_reply_quotes_the_words_and_names_the_sign() -> None:
    messages, _ = run("Honestly I can't say no to him, ever.")
    [shown] = sign_messages(messages)
    assert shown["response"] == "utter_sign_concern_self"
    for text in texts([shown]):
        assert "“I can't say no to him”" in text
        assert "finding it hard to say no" in text
        assert "codependency" in text
        assert "you are codependent" not in text.lower()


@pytest.mark.parametrize(
    "text, topic",
    [
        ("I can't say no to him", "boundaries"),
        ("I keep my feelings to myself", "communication"),
        ("He checks my phone every night", "boundaries"),
        ("I check his phone every night", "listening"),
    ],
)
def test_the_matching_coaching_step_is_offered_with_buttons(text: str, topic: str) -> None:
    messages, _ = run(text)
    offer = next(m for m in messages if m["response"] == "utter_sign_offer_step")
    for variation in render(offer):
        payloads = [button["payload"] for button in variation["buttons"]]
        assert payloads == ['/ask_coaching{"topic":"%s"}' % topic, "/ask_coaching", "/deny"]
        assert [b["title"] for b in variation["buttons"]] == ["Tell me more", "Another step", "Not now"]


def test_someone_elses_pattern_offers_the_step_of_being_there_for_them() -> None:
    messages, events = run("my aunt gives up everything for my uncle")
    assert [m["response"] for m in messages] == ["utter_sign_concern_other", "utter_sign_offer_step_other"]
    for variation in render(messages[1]):
        assert "listening without needing to manage" in variation["text"]
        assert variation["buttons"][0]["payload"] == '/ask_coaching{"topic":"listening"}'
        assert "your partner" not in variation["text"]
    from actions.context import CONTEXT_SLOT, Context

    remembered = [e["value"] for e in events if e.get("name") == CONTEXT_SLOT][-1]
    assert Context.from_slot(remembered).topic == "listening"


@pytest.mark.parametrize(
    "text, response, topic",
    [("my mum reads my messages every night", "utter_sign_offer_step", "boundaries"),
     ("my sister's husband checks her phone every night", "utter_sign_offer_step_other", "listening"),
     ("my best mate keeps saying yes to every extra shift her boyfriend gives her", "utter_sign_offer_step_other",
      "listening")],
)
def test_someone_elses_pattern_offers_boundaries_only_when_it_falls_on_the_writer(
    text: str, response: str, topic: str
) -> None:
    messages, _ = run(text)
    offer = next(m for m in messages if m["response"].startswith("utter_sign_offer"))
    assert offer["response"] == response and topic in offer["step_payload"]


def test_at_most_two_signs_most_important_first_and_the_rest_offered() -> None:
    text = "He checks my phone, I can't say no to him, I keep my feelings to myself and I apologise for everything"
    messages, events = run(text)
    shown = sign_messages(messages)
    assert len(shown) == 2
    assert "checking up on" in shown[0]["sign_name"]  # control outranks the others
    more = next(m for m in messages if m["response"] == "utter_sign_more")
    assert more["count"] == 2
    pending = next(e["value"] for e in events if e["name"] == "pending_signs")
    assert len(pending) == 2

    later, later_events = run("/more_signs", intent="more_signs", slots={"pending_signs": pending})
    assert len(sign_messages(later)) == 2
    assert not any(m["response"] == "utter_sign_more" for m in later)
    assert SlotSet("pending_signs", None) in later_events


def test_a_healthy_sign_is_affirmed_specifically() -> None:
    messages, _ = run("We take turns looking after each other when one of us is struggling")
    [shown] = sign_messages(messages)
    assert shown["response"] == "utter_sign_healthy_self"
    assert any(m["response"] == "utter_sign_offer_build" for m in messages)
    for text in texts([shown]):
        assert "We take turns looking after each other" in text
        assert "give and take" in text


def test_no_sign_gets_a_kind_open_question_and_no_label() -> None:
    messages, events = run("We went hiking on Saturday")
    assert [m["response"] for m in messages] == ["utter_sign_none"]
    assert all(text.rstrip().endswith("?") for text in texts(messages))
    assert SlotSet("situation_pending", False) in events


@pytest.mark.parametrize(
    "text",
    [
        "Back when we first met I couldn't say no to her, but that was fifteen years ago.",
        "I used to check his phone every night. I haven't done that in years.",
    ],
)
def test_a_pattern_told_as_over_is_noticed_as_a_change(text: str) -> None:
    messages, _ = run(text)
    assert [m["response"] for m in messages] == ["utter_sign_none_changed"]
    assert all(text.rstrip().endswith("?") for text in texts(messages))


def test_a_first_message_that_means_to_tell_the_partner_is_offered_the_step_of_saying_it() -> None:
    messages, _ = run("i want to talk to him about money but i don't know how")
    assert [m["response"] for m in messages] == ["utter_situation_wish"]
    assert all(variation["buttons"][0]["payload"] == '/ask_coaching{"topic":"communication"}' for variation in render(messages[0]))
    opening, _ = run("I need to talk about my husband, things have been weird lately")
    assert [m["response"] for m in opening] == ["utter_sign_none"]


def test_a_healthy_habit_that_ended_is_not_praised_as_a_change() -> None:
    messages, _ = run("We used to talk about everything, back when we first moved in together.")
    assert [m["response"] for m in messages] == ["utter_sign_none"]


def test_the_share_button_alone_asks_for_a_description() -> None:
    messages, events = run("/share_situation")
    assert messages == []
    assert events == [SlotSet("situation_pending", True)]
    assert RESPONSES["utter_ask_situation_text"]


def test_the_quote_is_plain_text(monkeypatch: pytest.MonkeyPatch) -> None:
    evidence = "I can't say no to <b>him</b> **ever** [click](http://e.vil) `x` __y__"
    monkeypatch.setattr(
        action_module,
        "read_signs",
        lambda text: Reading([Sign("poor_boundaries", "codependency", "self", evidence, 0, len(evidence))]),
    )
    messages, _ = run(evidence)
    for text in texts(sign_messages(messages)):
        quoted = text.split("“", 1)[1].split("”", 1)[0]
        assert not any(mark in quoted for mark in MARKUP), quoted
        assert "I can't say no to" in quoted and "him" in quoted


def test_plain_quote_is_one_short_line() -> None:
    assert plain_quote("line one\nline two\t<i>") == "line one line two ‹i›"
    long = plain_quote("word " * 100)
    assert len(long) <= action_module.MAX_QUOTE_CHARS and long.endswith("…")


def test_every_response_the_action_uses_exists_with_variations() -> None:
    for kind in ("concern", "healthy"):
        for subject in ("self", "partner", "other"):
            assert len(RESPONSES[f"utter_sign_{kind}_{subject}"]) >= 2
    for name in ("utter_sign_offer_step", "utter_sign_offer_step_other", "utter_sign_offer_build", "utter_sign_more",
                 "utter_sign_none", "utter_sign_none_changed"):
        assert len(RESPONSES[name]) >= 2


def test_a_story_ending_in_a_wish_is_heard_and_offered_the_step_of_saying_it() -> None:
    from actions.context import CONTEXT_SLOT, SIGN, SITUATION, Context

    told = Context(SITUATION, turn=0, told=["my boyfriend and i keep arguing about his mum"])
    slots = {CONTEXT_SLOT: told.to_slot()}
    messages, events = run("honestly i just want him to back me up when she starts", slots=slots)
    assert [m["response"] for m in messages] == ["utter_situation_summary", "utter_situation_wish"]
    wish = render(messages[1])
    assert all(variation["buttons"][0]["payload"] == '/ask_coaching{"topic":"communication"}' for variation in wish)
    remembered = [e["value"] for e in events if e.get("name") == CONTEXT_SLOT][-1]
    assert Context.from_slot(remembered).kind == SIGN and Context.from_slot(remembered).topic == "communication"


def test_a_story_ending_in_no_wish_and_no_sign_goes_on() -> None:
    from actions.context import CONTEXT_SLOT, SITUATION, Context

    told = Context(SITUATION, turn=0, told=["my boyfriend and i keep arguing about his mum"])
    messages, _ = run("it's usually about christmas and who we visit", slots={CONTEXT_SLOT: told.to_slot()})
    assert [m["response"] for m in messages] == ["utter_situation_go_on"]
