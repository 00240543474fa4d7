"""Partner mode's actions: invite, join (with consent), unlink, compare, and the crisis pause.

Wording: domain/partner.yml. These classes decide what to send and change only partner mode's
own tables (store.py). Nothing of one person's free text or history ever reaches the other:
only levels per theme are stored, and replies to one person never say why the other can't link.
"""

from __future__ import annotations

import logging
from abc import ABCMeta, abstractmethod
from typing import Any, Dict, List, Optional, Text

import sqlalchemy as sa

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.partner import store as stores
from actions.partner.codes import find_code
from actions.partner.compare import compare_levels
from actions.partner.notice import drop_joined_notices, send_joined_notice, tell_if_joined
from actions.reflection.catalogue import load_catalogue
from actions.safety.crisis_support import crisis_response_variables

logger = logging.getLogger(__name__)

PENDING_SLOT = "partner_code_pending"
JOIN_ACTION = "action_partner_join"
YES_INTENT = "affirm"
STORE: Optional[stores.PartnerStore] = None


def partner_store() -> stores.PartnerStore:
    """One store per action server process, on the tracker store's database."""
    global STORE
    if STORE is None:
        STORE = stores.PartnerStore()
    return STORE


def paused_for_safety(dispatcher: CollectingDispatcher, store: stores.PartnerStore, sender: str, other: Optional[str]) -> bool:
    """Refuse kindly if either wrote a crisis message lately; helplines only to the one who did."""
    writers = store.had_crisis([sender] + ([other] if other else []))
    if not writers:
        return False
    if sender in writers:
        dispatcher.utter_message(response="utter_partner_paused_for_you", **crisis_response_variables())
    else:
        dispatcher.utter_message(response="utter_partner_unavailable")
    return True


class PartnerAction(Action, metaclass=ABCMeta):
    """Common start of every partner action: the store, and the joined note for an inviter."""

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        store = partner_store()
        tell_if_joined(dispatcher, store, tracker.sender_id)
        return self.act(dispatcher, tracker, store)

    @abstractmethod
    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, store: stores.PartnerStore) -> List[EventType]:
        """What this action does once the note (if any) is sent."""


class ActionPartnerInvite(PartnerAction):
    def name(self) -> Text:
        return "action_partner_invite"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, store: stores.PartnerStore) -> List[EventType]:
        if store.link(tracker.sender_id):
            dispatcher.utter_message(response="utter_partner_already_linked")
            return []
        if paused_for_safety(dispatcher, store, tracker.sender_id, None):
            return []
        invite = store.invite(tracker.sender_id, tracker.get_latest_input_channel() or stores.DEFAULT_CHANNEL)
        dispatcher.utter_message(response="utter_partner_invite_code", code=invite.code)
        return []


class ActionPartnerJoin(PartnerAction):
    """Check the code without using it, then explain what is shared and ask for a yes."""

    def name(self) -> Text:
        return JOIN_ACTION

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, store: stores.PartnerStore) -> List[EventType]:
        sender = tracker.sender_id
        if store.link(sender):
            dispatcher.utter_message(response="utter_partner_already_linked")
            return [SlotSet(PENDING_SLOT, None)]
        if store.blocked(sender):
            dispatcher.utter_message(response="utter_partner_code_blocked")
            return [SlotSet(PENDING_SLOT, None)]
        code = find_code(tracker.latest_message.get("text") or "")
        if code is None:
            dispatcher.utter_message(response="utter_partner_code_missing")
            return [SlotSet(PENDING_SLOT, None)]
        found, inviter = store.check(code, sender)
        if found == stores.UNKNOWN:
            store.note_wrong_code(sender)
        if found != stores.LINKED:
            dispatcher.utter_message(response=f"utter_partner_code_{found}")
            return [SlotSet(PENDING_SLOT, None)]
        if paused_for_safety(dispatcher, store, sender, inviter):
            return [SlotSet(PENDING_SLOT, None)]
        dispatcher.utter_message(response="utter_partner_consent")
        return [SlotSet(PENDING_SLOT, code)]


class ActionPartnerConsent(PartnerAction):
    """After the consent question: a yes links (using the code), anything else shares nothing."""

    def name(self) -> Text:
        return "action_partner_consent"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, store: stores.PartnerStore) -> List[EventType]:
        code = tracker.get_slot(PENDING_SLOT)
        said_yes = (tracker.latest_message.get("intent") or {}).get("name") == YES_INTENT
        if not code:
            dispatcher.utter_message(response="utter_partner_nothing_to_confirm")
            return []
        if not said_yes:
            dispatcher.utter_message(response="utter_partner_not_linked")
            return [SlotSet(PENDING_SLOT, None)]
        found, inviter = store.check(code, tracker.sender_id)
        if found == stores.LINKED and paused_for_safety(dispatcher, store, tracker.sender_id, inviter):
            return [SlotSet(PENDING_SLOT, None)]
        outcome = store.redeem(code, tracker.sender_id)
        if outcome == stores.LINKED and inviter is not None:
            send_joined_notice(store, inviter, code)
        response = "utter_partner_linked" if outcome == stores.LINKED else f"utter_partner_code_{outcome}"
        dispatcher.utter_message(response=response)
        return [SlotSet(PENDING_SLOT, None)]


class ActionPartnerUnlink(PartnerAction):
    """Ends the link at once; the other person is not messaged, and a joined notice not yet delivered is dropped."""

    def name(self) -> Text:
        return "action_partner_unlink"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, store: stores.PartnerStore) -> List[EventType]:
        link = store.link(tracker.sender_id)
        unlinked = store.unlink(tracker.sender_id)
        if unlinked and link is not None:
            drop_joined_notices(store, [tracker.sender_id, link.partner_id])
        dispatcher.utter_message(response="utter_partner_unlinked" if unlinked else "utter_partner_not_linked_yet")
        return [SlotSet(PENDING_SLOT, None)]


class ActionPartnerCompare(PartnerAction):
    """Compare when linked and both have finished a check-in since; otherwise say what is missing."""

    def name(self) -> Text:
        return "action_partner_compare"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, store: stores.PartnerStore) -> List[EventType]:
        sender = tracker.sender_id
        link = store.link(sender)
        if link is None:
            dispatcher.utter_message(response="utter_partner_not_linked_yet")
            return []
        if paused_for_safety(dispatcher, store, sender, link.partner_id):
            return []
        mine, theirs = store.shared(sender), store.shared(link.partner_id)
        if mine is None:
            dispatcher.utter_message(response="utter_partner_compare_needs_yours")
            return []
        if theirs is None:
            dispatcher.utter_message(response="utter_partner_compare_needs_theirs")
            return []
        self.send_comparison(dispatcher, mine, theirs)
        return []

    @staticmethod
    def send_comparison(dispatcher: CollectingDispatcher, mine: stores.Shared, theirs: stores.Shared) -> None:
        comparison = compare_levels(mine.levels, theirs.levels, load_catalogue().questions)
        if not comparison.agreements and not comparison.differences:
            dispatcher.utter_message(response="utter_partner_compare_nothing_in_common")
            return
        dispatcher.utter_message(response="utter_partner_compare_intro")
        if comparison.agreements:
            dispatcher.utter_message(response="utter_partner_compare_agree", lines="\n".join(comparison.agreements))
        if comparison.differences:
            dispatcher.utter_message(response="utter_partner_compare_differ", lines="\n".join(comparison.differences))
        if comparison.skipped:
            dispatcher.utter_message(response="utter_partner_compare_skipped", lines="\n".join(comparison.skipped))
        dispatcher.utter_message(
            response="utter_partner_compare_exercise", theme=comparison.exercise_label, exercise=comparison.exercise
        )
        if comparison.suggest_counsellor or both_lean_away(mine, theirs):
            dispatcher.utter_message(response="utter_partner_compare_counsellor")
        dispatcher.utter_message(response="utter_partner_compare_no_verdict")


def both_lean_away(mine: stores.Shared, theirs: stores.Shared) -> bool:
    """Both check-ins lean away from interdependence: a couples counsellor may help."""
    return all(shared.lean not in (None, "interdependence") for shared in (mine, theirs))


def share_result(sender_id: str, levels: Dict[str, Optional[int]], lean: Optional[str]) -> None:
    """Called when a check-in finishes: keep its levels for comparing, only while linked.

    A database problem here must not cost the person their check-in result, so it is logged only.
    """
    try:
        partner_store().share(sender_id, levels, lean)
    except sa.exc.SQLAlchemyError:
        logger.exception("Could not keep a check-in for partner mode.")
