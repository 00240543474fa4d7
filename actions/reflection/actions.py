"""Actions of the guided reflection: start/resume, ask, validate, explain, result, last result.

Wording comes from domain/reflection.yml (responses) and questions.yml (questions, lines);
these classes only decide what to send and which slots to set.
"""

import json
from abc import ABCMeta, abstractmethod
from datetime import date, datetime, timezone
from typing import Any, Callable, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT, FormValidationAction
from rasa_sdk.types import DomainDict

from actions.partner.actions import share_result
from actions.context import RESULT, OFFER_COACH, Context, forget, remember
from actions.progress.history import HISTORY_SLOT, stored_history, with_check_in
from actions.reflection.answers import (
    ANSWER_INTENT,
    LEVEL_ENTITY,
    SignDetector,
    default_detector,
    interpret,
)
from actions.reflection.catalogue import Catalogue, Question, load_catalogue
from actions.reflection.memory import changes_since, display_date, result_from_record, result_record
from actions.reflection.scoring import Result, score
from actions.reflection.state import (
    FORM_NAME,
    LAST_RESULT_SLOT,
    answer_slot_value,
    answer_values,
    clear_answers,
    last_result,
    next_unanswered,
    stored_answers,
)
from actions.reflection.summary import Reply, last_result_replies, result_replies


def send(dispatcher: CollectingDispatcher, replies: List[Reply]) -> None:
    for reply in replies:
        dispatcher.utter_message(response=reply.response, buttons=reply.buttons, **reply.variables)


def scale_buttons(catalogue: Catalogue) -> List[Dict[str, str]]:
    """Never … Always, each sending its value as an `answer_reflection` payload."""
    return [
        {
            "title": level.button,
            "payload": f"/{ANSWER_INTENT}" + json.dumps({LEVEL_ENTITY: str(level.value)}),
        }
        for level in catalogue.scale
    ]


def forget_requested_question() -> EventType:
    """Clear the requested question before the form starts.

    A session that ended mid-form carries its slots (and the requested question) over but not
    the form; with a question still requested, the form would reject its own activation.
    """
    return SlotSet(REQUESTED_SLOT, None)


def start_fresh(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """Introduce a new check-in (and the comparison to come) and clear any earlier answers."""
    catalogue = load_catalogue()
    dispatcher.utter_message(response="utter_reflection_intro", count=len(catalogue.questions))
    previous = last_result(tracker)
    if previous:
        dispatcher.utter_message(
            response="utter_reflection_intro_compare", date=display_date(previous)
        )
    return clear_answers(catalogue) + [forget_requested_question()]


class ActionStartReflection(Action):
    """A new check-in always starts at question 1."""

    def name(self) -> Text:
        return "action_start_reflection"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        return start_fresh(dispatcher, tracker)


class ActionResumeReflection(Action):
    """Pick up a stopped check-in at its first unanswered question, or start one if none is open."""

    def name(self) -> Text:
        return "action_resume_reflection"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        catalogue = load_catalogue()
        resume_at = next_unanswered(tracker, catalogue)
        if resume_at is None or resume_at == 1:
            return start_fresh(dispatcher, tracker)
        dispatcher.utter_message(
            response="utter_reflection_resume", number=resume_at, count=len(catalogue.questions)
        )
        return [forget_requested_question()]


class AskReflectionQuestion(Action, metaclass=ABCMeta):
    """Ask one question with its progress ("3 of 10") and the five scale buttons.

    Rasa calls `action_ask_<slot>` for each requested slot; one subclass per question is made
    below from questions.yml, so adding a question needs no new code.
    """

    @property
    @abstractmethod
    def question(self) -> Question:
        """The question this action asks."""

    def name(self) -> Text:
        return f"action_ask_{self.question.slot}"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        catalogue = load_catalogue()
        dispatcher.utter_message(
            response="utter_reflection_question",
            number=catalogue.position(self.question.slot),
            count=len(catalogue.questions),
            question=self.question.text,
            buttons=scale_buttons(catalogue),
        )
        return []


def _ask_action(question: Question) -> type:
    class_name = "Ask" + "".join(part.title() for part in question.slot.split("_"))
    attributes = {"question": question, "__module__": __name__}
    return type(class_name, (AskReflectionQuestion,), attributes)


ASK_ACTIONS = tuple(_ask_action(question) for question in load_catalogue().questions)


class ValidateReflectionForm(FormValidationAction):
    """Turn each reply into a scale answer; re-ask gently when nothing can be taken from it."""

    def __init__(self, detector: Optional[SignDetector] = None) -> None:
        self._detector = detector

    def name(self) -> Text:
        return "validate_reflection_form"

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        catalogue = load_catalogue()
        detector = self._detector or default_detector()
        events: List[EventType] = []
        for slot, value in tracker.slots_to_validate().items():
            question = catalogue.by_slot(slot)
            # Cleared slots and answers validated earlier pass through unchanged.
            if question is None or value is None or isinstance(value, dict):
                continue
            answer = interpret(str(value), question, catalogue, detector)
            if answer is None:
                dispatcher.utter_message(response="utter_reflection_reask")
                events.append(SlotSet(slot, None))
                continue
            if answer.value is None:
                dispatcher.utter_message(response="utter_reflection_skipped")
            events.append(SlotSet(slot, answer_slot_value(answer)))
        return events


class ActionReflectionWhy(Action):
    """Say why the current question is asked (the form then asks it again)."""

    def name(self) -> Text:
        return "action_reflection_why"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        question = load_catalogue().by_slot(tracker.get_slot(REQUESTED_SLOT) or "")
        if tracker.active_loop_name == FORM_NAME and question is not None:
            dispatcher.utter_message(response="utter_reflection_why", why=question.why)
        else:
            dispatcher.utter_message(response="utter_reflection_why_general")
        return []


def result_context(tracker: Tracker, result: Result, catalogue: Catalogue) -> List[EventType]:
    """After a result, "how do I start?" means the plan's first step, "why?" the lean."""
    if result.lean is None:
        return forget()
    topics = [question.topic for theme in result.weakest if (question := catalogue.by_theme(theme))]
    context = Context(
        RESULT, pattern=result.lean, topics=topics, topic=topics[0] if topics else None, offer=OFFER_COACH
    )
    return remember(tracker, context)


def utc_today() -> date:
    return datetime.now(timezone.utc).date()


# A reminder is offered at the very end of a result, never unasked (actions/reminders/).
REMINDER_PAYLOAD = '/ask_reminder{"reminder_time": "next week"}'


class ActionReflectionResult(Action):
    """Summarise a finished check-in, compare it with the last one, give a plan, remember it."""

    def __init__(self, today: Callable[[], date] = utc_today) -> None:
        self._today = today

    def name(self) -> Text:
        return "action_reflection_result"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        catalogue = load_catalogue()
        answers = stored_answers(tracker, catalogue)
        result = score(answer_values(answers), catalogue.questions)
        previous = last_result(tracker)
        said = {theme: stored.get("said") for theme, stored in answers.items()}
        replies = result_replies(
            result,
            said,
            catalogue,
            changes=changes_since(previous, result, catalogue) if result.lean else None,
            previous_date=display_date(previous) if previous else "",
        )
        replies[-1].buttons.append({"title": catalogue.wording["reminder_button"], "payload": REMINDER_PAYLOAD})
        send(dispatcher, replies)
        events = clear_answers(catalogue)
        # A check-in with every question skipped says nothing, so it doesn't replace the last one.
        if result.lean is not None:
            record = result_record(result, answers, self._today())
            events.append(SlotSet(LAST_RESULT_SLOT, record))
            events.append(SlotSet(HISTORY_SLOT, with_check_in(stored_history(tracker), record)))
            share_result(tracker.sender_id, answer_values(answers), result.lean)
        return events + result_context(tracker, result, catalogue)


class ActionReflectionLastResult(Action):
    """Answer "what did my last check-in say?" from the remembered result."""

    def name(self) -> Text:
        return "action_reflection_last_result"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        record = last_result(tracker)
        if record is None:
            send(dispatcher, last_result_replies(None, {}, "", load_catalogue()))
            return []
        said: Dict[str, Any] = record.get("said") or {}
        result, catalogue = result_from_record(record), load_catalogue()
        send(dispatcher, last_result_replies(result, said, display_date(record), catalogue))
        return result_context(tracker, result, catalogue)
