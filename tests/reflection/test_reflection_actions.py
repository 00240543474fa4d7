"""The reflection's actions, run against rasa_sdk trackers: what a person would see and what is kept."""

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Dict, List, Optional

import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.reflection.actions import (
    ASK_ACTIONS,
    ActionReflectionLastResult,
    ActionReflectionResult,
    ActionReflectionWhy,
    ActionResumeReflection,
    ActionStartReflection,
    ValidateReflectionForm,
)
from actions.reflection.answers import button_value
from actions.reflection.catalogue import load_catalogue
from actions.progress.history import HISTORY_SLOT
from actions.reflection.state import LAST_RESULT_SLOT

LEANS = ("codependency", "counterdependency", "interdependence", "mixed", "none")

REPO = Path(__file__).resolve().parents[2]
DOMAIN: Dict[str, Any] = yaml.safe_load((REPO / "domain" / "reflection.yml").read_text())
CATALOGUE = load_catalogue()
SLOTS = [q.slot for q in CATALOGUE.questions]
COUNT = len(SLOTS)
TODAY = date(2026, 11, 22)


@dataclass(frozen=True)
class FakeSign:
    label: str
    subject: str = "self"


def make_tracker(
    slots: Optional[Dict[str, Any]] = None,
    events: Optional[List[Dict[str, Any]]] = None,
    active_loop: Optional[str] = None,
    text: str = "",
) -> Tracker:
    return Tracker(
        sender_id="person",
        slots=dict(slots or {}),
        latest_message={"text": text, "intent": {}, "entities": []},
        events=list(events or []),
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


def answered(theme: str, value: Optional[int], said: str) -> Dict[str, Any]:
    return {CATALOGUE.by_theme(theme).slot: {"value": value, "said": said}}


def all_answered(value_for: Dict[str, Optional[int]], default: int = 1) -> Dict[str, Any]:
    """Every question answered; themes not listed get `default` on a non-reverse scale."""
    slots = {}
    for q in CATALOGUE.questions:
        value = value_for.get(q.theme, (6 - default) if q.reverse else default)
        said = CATALOGUE.button_title(value) if value else "skip"
        slots[q.slot] = {"value": value, "said": said}
    return slots


def responses(dispatcher: CollectingDispatcher) -> List[str]:
    return [message["response"] for message in dispatcher.messages]


def message(dispatcher: CollectingDispatcher, response: str) -> Dict[str, Any]:
    return next(m for m in dispatcher.messages if m["response"] == response)


def slot_events(events: List[Dict[str, Any]]) -> Dict[str, Any]:
    return {event["name"]: event["value"] for event in events if event["event"] == "slot"}


# --- the form in the domain matches the questions ------------------------------------------------


def test_the_form_asks_the_questions_of_questions_yml_in_order():
    assert DOMAIN["forms"]["reflection_form"]["required_slots"] == SLOTS
    assert 8 <= COUNT <= 10


def test_every_question_has_an_ask_action_listed_in_the_domain():
    names = [action().name() for action in ASK_ACTIONS]

    assert names == [f"action_ask_{slot}" for slot in SLOTS]
    listed = {next(iter(action)) if isinstance(action, dict) else action for action in DOMAIN["actions"]}
    assert set(names) <= listed


def test_answer_slots_never_take_crisis_stop_or_questions_as_an_answer():
    for slot in SLOTS:
        (mapping,) = DOMAIN["slots"][slot]["mappings"]
        assert mapping["type"] == "from_text"
        not_answers = {"crisis", "stop", "delete_data", "ask_why", "ask_codependency"}
        assert not_answers <= set(mapping["not_intent"])
        assert mapping["conditions"] == [{"active_loop": "reflection_form", "requested_slot": slot}]


# --- asking ----------------------------------------------------------------------------------------


def test_a_question_shows_its_progress_and_five_scale_buttons():
    ask_saying_no = next(a for a in ASK_ACTIONS if a().name() == "action_ask_reflection_saying_no")
    dispatcher = CollectingDispatcher()

    ask_saying_no().run(dispatcher, make_tracker(active_loop="reflection_form"), DOMAIN)

    (sent,) = dispatcher.messages
    assert sent["response"] == "utter_reflection_question"
    assert (sent["number"], sent["count"]) == (3, COUNT)
    assert sent["question"] == CATALOGUE.by_theme("saying_no").text
    assert [b["title"] for b in sent["buttons"]] == ["Never", "Rarely", "Sometimes", "Often", "Always"]
    assert [button_value(b["payload"]) for b in sent["buttons"]] == [1, 2, 3, 4, 5]


# --- validating replies ------------------------------------------------------------------------------


async def validate(slot: str, reply: Any, detector=None):
    """Run the form's validation as Rasa does right after a reply was mapped to `slot`."""
    tracker = make_tracker(
        slots={"requested_slot": slot, slot: reply},
        events=[
            {"event": "user", "text": str(reply)},
            {"event": "slot", "name": slot, "value": reply},
        ],
        active_loop="reflection_form",
        text=str(reply),
    )
    dispatcher = CollectingDispatcher()
    events = await ValidateReflectionForm(detector=detector or (lambda text: [])).run(
        dispatcher, tracker, DOMAIN
    )
    return dispatcher, slot_events(events)


async def test_a_typed_frequency_is_kept_with_the_persons_words():
    dispatcher, slots = await validate("reflection_saying_no", "hardly ever")

    assert slots == {"reflection_saying_no": {"value": 2, "said": "hardly ever"}}
    assert dispatcher.messages == []


async def test_a_button_is_kept_with_its_title():
    _, slots = await validate("reflection_control", '/answer_reflection{"reflection_level": "5"}')

    assert slots == {"reflection_control": {"value": 5, "said": "Always"}}


async def test_free_text_is_read_through_the_sign_detector():
    def detector(text):
        return [FakeSign("lost_identity")]

    _, slots = await validate(
        "reflection_own_life", "I stopped seeing my friends once we moved in together", detector
    )

    assert slots["reflection_own_life"]["value"] == 2


async def test_an_unreadable_reply_is_rejected_and_asked_again_gently():
    dispatcher, slots = await validate("reflection_feelings", "we went hiking on saturday")

    assert slots == {"reflection_feelings": None}
    assert responses(dispatcher) == ["utter_reflection_reask"]


async def test_skipping_moves_on_without_a_value():
    dispatcher, slots = await validate("reflection_feelings", "skip")

    assert slots == {"reflection_feelings": {"value": None, "said": "skip"}}
    assert responses(dispatcher) == ["utter_reflection_skipped"]


async def test_cleared_slots_are_left_alone():
    dispatcher, slots = await validate("reflection_feelings", None)

    assert slots == {}
    assert dispatcher.messages == []


# --- starting, resuming, explaining ------------------------------------------------------------------


def test_starting_says_how_many_questions_and_clears_earlier_answers():
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(slots=answered("saying_no", 2, "Rarely"))

    events = ActionStartReflection().run(dispatcher, tracker, DOMAIN)

    assert responses(dispatcher) == ["utter_reflection_intro"]
    assert dispatcher.messages[0]["count"] == COUNT
    assert slot_events(events) == {**{slot: None for slot in SLOTS}, "requested_slot": None}


def test_starting_again_announces_the_comparison_with_the_last_check_in():
    dispatcher = CollectingDispatcher()
    record = {"date": "2026-11-01", "lean": "codependency", "strains": {"saying_no": 1.0}}

    ActionStartReflection().run(dispatcher, make_tracker(slots={LAST_RESULT_SLOT: record}), DOMAIN)

    assert responses(dispatcher) == ["utter_reflection_intro", "utter_reflection_intro_compare"]
    assert message(dispatcher, "utter_reflection_intro_compare")["date"] == "1 November 2026"


def test_continuing_picks_up_at_the_first_unanswered_question_and_keeps_answers():
    # A session that ended mid-form leaves its question requested but no form running.
    slots = {"requested_slot": "reflection_own_life"}
    for theme in ("give_take", "partner_first", "saying_no"):
        slots.update(answered(theme, 4, "Often"))
    dispatcher = CollectingDispatcher()

    events = ActionResumeReflection().run(dispatcher, make_tracker(slots=slots), DOMAIN)

    assert responses(dispatcher) == ["utter_reflection_resume"]
    assert (dispatcher.messages[0]["number"], dispatcher.messages[0]["count"]) == (4, COUNT)
    assert slot_events(events) == {"requested_slot": None}


def test_continuing_with_nothing_open_starts_a_new_check_in():
    dispatcher = CollectingDispatcher()

    events = ActionResumeReflection().run(dispatcher, make_tracker(), DOMAIN)

    assert responses(dispatcher) == ["utter_reflection_intro"]
    assert slot_events(events) == {**{slot: None for slot in SLOTS}, "requested_slot": None}


def test_why_explains_the_question_being_asked():
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(slots={"requested_slot": "reflection_needing"}, active_loop="reflection_form")

    ActionReflectionWhy().run(dispatcher, tracker, DOMAIN)

    assert responses(dispatcher) == ["utter_reflection_why"]
    assert dispatcher.messages[0]["why"] == CATALOGUE.by_theme("needing").why


def test_why_outside_a_check_in_explains_the_check_in():
    dispatcher = CollectingDispatcher()

    ActionReflectionWhy().run(dispatcher, make_tracker(), DOMAIN)

    assert responses(dispatcher) == ["utter_reflection_why_general"]


# --- the result and memory ---------------------------------------------------------------------------


def finish(slots: Dict[str, Any]):
    dispatcher = CollectingDispatcher()
    events = ActionReflectionResult(today=lambda: TODAY).run(dispatcher, make_tracker(slots=slots), DOMAIN)
    return dispatcher, slot_events(events)


def test_the_result_names_the_lean_quotes_answers_keeps_strengths_and_plans_for_the_weakest():
    slots = all_answered({"saying_no": 1, "partner_first": 5, "self_worth": 4})
    slots.update(answered("saying_no", 1, "never, she gets upset"))

    dispatcher, kept = finish(slots)

    assert responses(dispatcher) == [
        "utter_reflection_result_lean_codependency",
        "utter_reflection_result_stood_out",
        "utter_reflection_result_strengths",
        "utter_reflection_not_diagnosis",
        "utter_reflection_plan_intro",
        "utter_reflection_plan_step",
        "utter_reflection_plan_step",
        "utter_reflection_plan_step",
    ]
    stood_out = message(dispatcher, "utter_reflection_result_stood_out")["lines"]
    assert "never, she gets upset" in stood_out and "Always" in stood_out
    steps = [m for m in dispatcher.messages if m["response"] == "utter_reflection_plan_step"]
    assert [m["step"] for m in steps] == [
        CATALOGUE.by_theme(theme).plan_step for theme in ("partner_first", "saying_no", "self_worth")
    ]
    assert [m["buttons"][0]["payload"] for m in steps] == [
        '/ask_coaching{"topic":"goals"}',
        '/ask_coaching{"topic":"boundaries"}',
        '/ask_coaching{"topic":"self_esteem"}',
    ]
    assert all(m["exercise"] for m in steps)
    # A reminder is offered once, at the very end (issue 19).
    offered = [b["payload"] for m in dispatcher.messages for b in m.get("buttons") or [] if "reminder" in b["payload"]]
    assert offered == ['/ask_reminder{"reminder_time": "next week"}']
    assert dispatcher.messages[-1]["buttons"][-1]["title"] == "Remind me to check in next week"
    assert kept[LAST_RESULT_SLOT]["lean"] == "codependency"
    assert kept[LAST_RESULT_SLOT]["date"] == "2026-11-22"
    assert kept[LAST_RESULT_SLOT]["said"]["saying_no"] == "never, she gets upset"
    assert all(kept[slot] is None for slot in SLOTS)


def test_a_healthy_result_has_no_plan_to_fix_anything():
    dispatcher, _ = finish(all_answered({}))

    assert responses(dispatcher) == [
        "utter_reflection_result_lean_interdependence",
        "utter_reflection_result_strengths",
        "utter_reflection_not_diagnosis",
        "utter_reflection_plan_keep_going",
    ]


def test_an_all_skipped_check_in_says_so_and_keeps_the_last_result():
    slots = {slot: {"value": None, "said": "skip"} for slot in SLOTS}

    dispatcher, kept = finish(slots)

    assert responses(dispatcher) == ["utter_reflection_result_lean_none"]
    assert LAST_RESULT_SLOT not in kept
    assert all(kept[slot] is None for slot in SLOTS)


def test_the_next_check_in_compares_with_the_last_one():
    _, first = finish(all_answered({"saying_no": 1, "own_life": 5}))
    second_slots = all_answered({"saying_no": 4, "own_life": 1})
    second_slots[LAST_RESULT_SLOT] = first[LAST_RESULT_SLOT]

    dispatcher, _ = finish(second_slots)

    easier = message(dispatcher, "utter_reflection_compare_easier")
    harder = message(dispatcher, "utter_reflection_compare_harder")
    assert easier["label"] == "saying no"
    assert harder["label"] == CATALOGUE.by_theme("own_life").label


def test_every_finished_check_in_joins_the_history_and_a_skipped_one_does_not():
    _, first = finish(all_answered({"saying_no": 1}))
    assert [entry["date"] for entry in first[HISTORY_SLOT]] == ["2026-11-22"]
    second_slots = all_answered({"saying_no": 4})
    second_slots.update({LAST_RESULT_SLOT: first[LAST_RESULT_SLOT], HISTORY_SLOT: first[HISTORY_SLOT]})
    _, second = finish(second_slots)
    assert len(second[HISTORY_SLOT]) == 2
    assert second[HISTORY_SLOT][-1]["strains"] == second[LAST_RESULT_SLOT]["strains"]
    skipped = all_answered({q.theme: None for q in CATALOGUE.questions})
    skipped[HISTORY_SLOT] = second[HISTORY_SLOT]
    _, kept = finish(skipped)
    assert HISTORY_SLOT not in kept


def test_a_conversation_from_before_the_history_starts_it_from_its_last_result():
    _, first = finish(all_answered({"saying_no": 1}))
    second_slots = all_answered({"saying_no": 4})
    second_slots[LAST_RESULT_SLOT] = first[LAST_RESULT_SLOT]  # no history slot yet
    _, second = finish(second_slots)
    assert len(second[HISTORY_SLOT]) == 2


def test_an_unchanged_check_in_says_things_look_the_same():
    _, first = finish(all_answered({"saying_no": 1}))
    second_slots = all_answered({"saying_no": 1})
    second_slots[LAST_RESULT_SLOT] = first[LAST_RESULT_SLOT]

    dispatcher, _ = finish(second_slots)

    assert message(dispatcher, "utter_reflection_compare_same")["date"] == "22 November 2026"


def test_asking_for_the_last_check_in_retells_it():
    _, first = finish(all_answered({"closeness": 5, "needing": 1}))
    dispatcher = CollectingDispatcher()

    ActionReflectionLastResult().run(
        dispatcher, make_tracker(slots={LAST_RESULT_SLOT: first[LAST_RESULT_SLOT]}), DOMAIN
    )

    assert responses(dispatcher)[:3] == [
        "utter_reflection_last_result_intro",
        "utter_reflection_result_lean_counterdependency",
        "utter_reflection_result_stood_out",
    ]
    assert dispatcher.messages[0]["date"] == "22 November 2026"
    assert "utter_reflection_last_plan_intro" in responses(dispatcher)


def test_a_last_result_kept_without_the_words_lists_the_themes_without_empty_quotes():
    _, first = finish(all_answered({"closeness": 5, "needing": 1}))
    record = dict(first[LAST_RESULT_SLOT], said={})
    dispatcher = CollectingDispatcher()

    ActionReflectionLastResult().run(dispatcher, make_tracker(slots={LAST_RESULT_SLOT: record}), DOMAIN)

    lines = message(dispatcher, "utter_reflection_result_stood_out")["lines"]
    assert "“" not in lines and "you answered" not in lines
    assert CATALOGUE.by_theme("closeness").asked in lines


def test_asking_for_the_last_check_in_before_any_says_there_is_none():
    dispatcher = CollectingDispatcher()

    ActionReflectionLastResult().run(dispatcher, make_tracker(), DOMAIN)

    assert responses(dispatcher) == ["utter_reflection_last_result_none"]


def test_every_response_the_actions_send_exists_in_the_domain():
    source = "\n".join(path.read_text() for path in (REPO / "actions" / "reflection").glob("*.py"))
    named = set(re.findall(r'"(utter_reflection_[a-z_]+)"', source))
    leans = {f"utter_reflection_result_lean_{lean}" for lean in LEANS}

    assert len(named) > 20
    assert named | leans <= set(DOMAIN["responses"])
