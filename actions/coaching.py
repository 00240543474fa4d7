"""`action_coach`: answers a coaching request with the chosen topic, or offers the topic menu.

All wording lives in domain/coaching.yml; this module only decides which responses to send.
"""

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

TOPIC_SLOT = "topic"

# The coaching topics of the public contract; each has utter_coach_<topic> and
# utter_coach_<topic>_exercise in domain/coaching.yml.
TOPICS = (
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
)


def normalise_topic(value: Any) -> Optional[Text]:
    """The contract name for a topic value, or None when it is not a known topic.

    Values reach us from button payloads and entity extraction, so spacing, case and hyphens
    vary ("Self-Esteem", "alone time").
    """
    if not isinstance(value, str):
        return None
    name = value.strip().lower().replace("-", "_").replace(" ", "_")
    return name if name in TOPICS else None


def requested_topic(tracker: Tracker) -> Optional[Text]:
    """The topic of this request: an entity in the latest message wins over an older slot value."""
    for value in tracker.get_latest_entity_values(TOPIC_SLOT):
        topic = normalise_topic(value)
        if topic:
            return topic
    return normalise_topic(tracker.get_slot(TOPIC_SLOT))


class ActionCoach(Action):
    """Explain a coaching topic and give one exercise, or show the menu when no topic is known."""

    def name(self) -> Text:
        return "action_coach"

    def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[Text, Any],
    ) -> List[EventType]:
        topic = requested_topic(tracker)
        if topic is None:
            dispatcher.utter_message(response="utter_coaching_menu")
        else:
            dispatcher.utter_message(response=f"utter_coach_{topic}")
            dispatcher.utter_message(response=f"utter_coach_{topic}_exercise")
            dispatcher.utter_message(response="utter_coach_followup")
        # Forget the topic so a later request without one shows the menu again.
        return [SlotSet(TOPIC_SLOT, None)]
