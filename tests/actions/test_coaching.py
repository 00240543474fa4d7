"""ActionCoach sends the right coaching responses, and the domain has content for every topic."""

import json
import re
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.coaching import TOPICS, ActionCoach

REPO = Path(__file__).resolve().parents[2]
COACHING_DOMAIN = REPO / "domain" / "coaching.yml"
COACHING_NLU = REPO / "data" / "nlu" / "coaching.yml"

# The coaching topics as the public contract lists them (copied, not read from ../shared).
CONTRACT_TOPICS = {
    "boundaries",
    "self_esteem",
    "alone_time",
    "listening",
    "communication",
    "goals",
    "attachment",
    "professional_help",
    "community",
    "identity",
    "compromise",
}

PAYLOAD = re.compile(r"^/(?P<intent>\w+)(?P<entities>\{.*\})?$")


def make_tracker(
    entity_topic: Optional[str] = None,
    slot_topic: Optional[str] = None,
    text: str = "coaching please",
) -> Tracker:
    """A tracker whose latest message is ask_coaching, optionally with a topic entity."""
    entities: List[Dict[str, Any]] = []
    if entity_topic is not None:
        entities.append({"entity": "topic", "value": entity_topic})
    latest_message = {
        "text": text,
        "intent": {"name": "ask_coaching", "confidence": 0.99},
        "entities": entities,
    }
    return Tracker(
        sender_id="test-user",
        slots={"topic": slot_topic},
        latest_message=latest_message,
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def run_coach(tracker: Tracker) -> Tuple[List[Optional[str]], List[Dict[str, Any]]]:
    """Names of the responses the action sent, and the events it returned."""
    dispatcher = CollectingDispatcher()
    events = ActionCoach().run(dispatcher, tracker, domain={})
    return [message.get("response") for message in dispatcher.messages], events


def load_yaml(path: Path) -> Dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def all_buttons() -> Iterator[Tuple[str, Dict[str, Any]]]:
    """Every button in every domain file, with the response it belongs to."""
    for path in sorted((REPO / "domain").glob("*.yml")):
        for name, variations in (load_yaml(path).get("responses") or {}).items():
            for variation in variations:
                for button in variation.get("buttons") or []:
                    yield f"{path.name}:{name}", button


def test_action_name_matches_domain() -> None:
    assert ActionCoach().name() == "action_coach"
    assert "action_coach" in load_yaml(COACHING_DOMAIN)["actions"]


def test_action_topics_are_the_contract_topics() -> None:
    assert set(TOPICS) == CONTRACT_TOPICS


@pytest.mark.parametrize("topic", sorted(CONTRACT_TOPICS))
def test_topic_entity_gets_explanation_exercise_and_followup(topic: str) -> None:
    sent, _ = run_coach(make_tracker(entity_topic=topic))
    assert sent == [f"utter_coach_{topic}", f"utter_coach_{topic}_exercise", "utter_coach_followup"]


def test_topic_from_slot_is_used_when_message_has_no_entity() -> None:
    sent, _ = run_coach(make_tracker(slot_topic="listening"))
    assert sent[:2] == ["utter_coach_listening", "utter_coach_listening_exercise"]


def test_entity_beats_stale_slot() -> None:
    sent, _ = run_coach(make_tracker(entity_topic="goals", slot_topic="boundaries"))
    assert sent[:2] == ["utter_coach_goals", "utter_coach_goals_exercise"]


def test_entity_written_loosely_still_finds_topic() -> None:
    sent, _ = run_coach(make_tracker(entity_topic="Self-Esteem"))
    assert sent[0] == "utter_coach_self_esteem"


def test_no_topic_shows_menu() -> None:
    sent, _ = run_coach(make_tracker())
    assert sent == ["utter_coaching_menu"]


def test_unknown_topic_shows_menu() -> None:
    sent, _ = run_coach(make_tracker(entity_topic="astrology", slot_topic="knitting"))
    assert sent == ["utter_coaching_menu"]


@pytest.mark.parametrize("entity_topic", ["boundaries", None])
def test_topic_slot_is_cleared_after_answering(entity_topic: Optional[str]) -> None:
    _, events = run_coach(make_tracker(entity_topic=entity_topic, slot_topic="boundaries"))
    assert SlotSet("topic", None) in events


def test_a_typed_question_is_acknowledged_before_the_answer() -> None:
    sent, _ = run_coach(make_tracker(entity_topic="alone_time", text="how do I ask for a weekend alone?"))
    assert sent == ["utter_coach_ack", "utter_coach_alone_time", "utter_coach_alone_time_exercise", "utter_coach_followup"]


def test_a_button_press_is_not_acknowledged() -> None:
    sent, _ = run_coach(make_tracker(entity_topic="goals", text='/ask_coaching{"topic":"goals"}'))
    assert sent[0] == "utter_coach_goals"


def test_a_statement_that_shows_a_sign_is_reflected_back_not_coached() -> None:
    sent, _ = run_coach(make_tracker(text="i agree with everything she says just to avoid a fight"))
    assert sent[0].startswith("utter_sign_concern_") and "utter_sign_offer_step" in sent


def test_a_question_naming_no_topic_gets_the_topic_of_the_sign_it_describes() -> None:
    sent, _ = run_coach(make_tracker(text="what can I do, I keep cancelling plans with my friends for him"))
    assert sent[0] == "utter_coach_ack" and sent[1].startswith("utter_coach_") and sent[1] != "utter_coaching_menu"


def test_after_a_topic_more_means_its_next_step() -> None:
    _, events = run_coach(make_tracker(entity_topic="listening"))
    context = next(event["value"] for event in events if event["name"] == "conversation_context")
    assert (context["kind"], context["topic"], context["offer"]) == ("coaching", "listening", "next_step")


def test_the_menu_leaves_nothing_to_follow_up_on() -> None:
    _, events = run_coach(make_tracker())
    assert SlotSet("conversation_context", None) in events


@pytest.mark.parametrize("topic", sorted(CONTRACT_TOPICS))
def test_every_topic_has_explanation_and_varied_exercise(topic: str) -> None:
    responses = load_yaml(COACHING_DOMAIN)["responses"]
    assert responses.get(f"utter_coach_{topic}"), f"utter_coach_{topic} missing"
    exercises = responses.get(f"utter_coach_{topic}_exercise") or []
    assert len(exercises) >= 2, f"utter_coach_{topic}_exercise needs 2+ variations"


def test_menu_offers_every_topic() -> None:
    for variation in load_yaml(COACHING_DOMAIN)["responses"]["utter_coaching_menu"]:
        offered = {
            json.loads(PAYLOAD.match(button["payload"])["entities"])["topic"]
            for button in variation["buttons"]
        }
        assert offered == CONTRACT_TOPICS


def test_professional_help_says_the_bot_is_not_a_therapist() -> None:
    text = load_yaml(COACHING_DOMAIN)["responses"]["utter_coach_professional_help"][0]["text"]
    assert "not a counsellor or therapist" in text
    assert "couples therapist" in text


def test_every_button_payload_names_a_known_topic() -> None:
    buttons = list(all_buttons())
    assert buttons, "expected buttons in the domain"
    for where, button in buttons:
        if re.fullmatch(r"\{\w+\}", button["payload"]):
            continue  # a response variable the sending action fills in with a real payload
        match = PAYLOAD.match(button["payload"])
        assert match, f"{where}: payload {button['payload']!r} is not /intent or /intent{{...}}"
        if match["entities"]:
            entities = json.loads(match["entities"])
            if "topic" in entities:
                assert entities["topic"] in CONTRACT_TOPICS, f"{where}: {button['payload']}"


def test_every_annotated_and_synonym_topic_is_known() -> None:
    """Entity values and synonym targets in the coaching NLU data must be contract topics."""
    nlu = load_yaml(COACHING_NLU)["nlu"]
    synonym_targets = {block["synonym"] for block in nlu if "synonym" in block}
    annotated = {
        json.loads(annotation)["value"]
        for block in nlu
        if block.get("intent") == "ask_coaching"
        for annotation in re.findall(r"\]\s*(\{[^}]*\})", block["examples"])
    }
    assert annotated, "expected annotated topic examples"
    assert synonym_targets <= CONTRACT_TOPICS
    assert annotated <= CONTRACT_TOPICS
    assert CONTRACT_TOPICS <= annotated, "every topic should have training examples"


def test_more_of_a_story_while_a_situation_is_told_is_read_with_it_not_answered_with_the_menu() -> None:
    from actions.context import CONTEXT_SLOT, SITUATION, Context

    tracker = make_tracker(text="it's usually about money and who pays for what")
    told = Context(SITUATION, turn=0, told=["me and my girlfriend keep having the same argument"])
    tracker.slots[CONTEXT_SLOT] = told.to_slot()
    sent, _ = run_coach(tracker)
    assert "utter_coaching_menu" not in sent
    assert {"utter_situation_go_on", "utter_situation_summary"} & set(sent)


def test_a_coaching_question_while_a_situation_is_told_still_gets_the_menu() -> None:
    from actions.context import CONTEXT_SLOT, SITUATION, Context

    tracker = make_tracker(text="what can you coach me on?")
    tracker.slots[CONTEXT_SLOT] = Context(SITUATION, turn=0, told=["we argue a lot"]).to_slot()
    sent, _ = run_coach(tracker)
    assert sent == ["utter_coaching_menu"]


def test_asking_what_to_do_halfway_through_a_situation_asks_a_little_more_not_the_menu() -> None:
    from actions.context import CONTEXT_SLOT, SITUATION, Context

    tracker = make_tracker(text="ok what can i do")
    told = ["my girlfriend and i have been a bit distant lately", "we mostly talk about the kids and the bills"]
    tracker.slots[CONTEXT_SLOT] = Context(SITUATION, turn=0, told=told).to_slot()
    sent, events = run_coach(tracker)
    assert sent == ["utter_follow_up_how_situation"]
    assert not any(event.get("name") == CONTEXT_SLOT and event.get("value") is None for event in events)


def test_asking_what_to_do_right_after_a_sign_coaches_its_topic_not_the_menu() -> None:
    from actions.context import CONTEXT_SLOT, SIGN, Context

    tracker = make_tracker(text="ok what can i do")
    shown = Context(SIGN, turn=0, pattern="interdependence", topic="communication")
    tracker.slots[CONTEXT_SLOT] = shown.to_slot()
    sent, _ = run_coach(tracker)
    assert "utter_coaching_menu" not in sent
    assert "utter_coach_communication" in sent
