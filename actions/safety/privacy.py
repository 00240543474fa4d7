"""`action_delete_conversation`: forget a person's conversation once they have confirmed.

The deletion itself happens in the tracker store (stores/tracker_store.py): this action only marks
the conversation with the slot the store looks for, and only when the person has just answered yes
to the confirmation question — whatever the dialogue policy predicted. Wording: domain/privacy.yml.
"""

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

# Must match stores.tracker_store.DELETION_SLOT (tests/privacy checks that they agree).
DELETION_SLOT = "conversation_deletion_confirmed"
CONFIRMATION_QUESTION = "utter_ask_delete_data"
YES_INTENT = "affirm"


def action_before_latest_message(tracker: Tracker) -> Optional[Text]:
    """Name of the last bot action before the person's latest message (ignoring action_listen)."""
    seen_latest_message = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_latest_message:
                return None
            seen_latest_message = True
        elif seen_latest_message and event.get("event") == "action" and event.get("name") != "action_listen":
            return event.get("name")
    return None


def deletion_confirmed(tracker: Tracker) -> bool:
    """True when the latest message says yes to the question whether to delete everything."""
    latest_intent = (tracker.latest_message.get("intent") or {}).get("name")
    return latest_intent == YES_INTENT and action_before_latest_message(tracker) == CONFIRMATION_QUESTION


class ActionDeleteConversation(Action):
    """Marks the conversation for deletion after a confirmed yes; otherwise asks first."""

    def name(self) -> Text:
        return "action_delete_conversation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        if not deletion_confirmed(tracker):
            dispatcher.utter_message(response=CONFIRMATION_QUESTION)
            return []
        dispatcher.utter_message(response="utter_data_deleted")
        return [SlotSet(DELETION_SLOT, True)]
