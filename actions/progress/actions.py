"""`action_show_progress` and `action_export_summary`: the history as a chart and as a document.

The files are made here and kept in the file store (stores/files.py) under an unguessable name
for an hour; messages carry only their links. The chat page shows the chart and links to the
summary; Telegram's connector uploads the bytes themselves; REST clients get the links as
`image` and `attachment`. Wording: domain/progress.yml (replies) and wording.yml (files).
"""

from datetime import date, datetime, timezone
from typing import Any, Callable, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.progress.chart import render_chart
from actions.progress.describe import change_sentences, day_words, text_alternative, wording
from actions.progress.document import as_pdf, as_text, summary
from actions.progress.history import check_ins, stored_history
from actions.reflection.catalogue import load_catalogue
from stores.files import FileStore, StoredFile

# Channels whose widget shows links in text better than it shows a file attachment (rasa-webchat).
LINK_CHANNELS = frozenset({"socketio"})


def utc_today() -> date:
    return datetime.now(timezone.utc).date()


class ActionShowProgress(Action):
    """The chart of every check-in with its text alternative, or a kind word and a button to start."""

    def __init__(self, files: Optional[FileStore] = None) -> None:
        self._files = files

    def name(self) -> Text:
        return "action_show_progress"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        catalogue = load_catalogue()
        history = check_ins(stored_history(tracker), list(catalogue.questions))
        if len(history) < 2:
            dates = {"date": day_words(history[0])} if history else {}
            dispatcher.utter_message(response=f"utter_progress_{'one' if history else 'none'}", **dates)
            return []
        chart = (self._files or FileStore()).put(tracker.sender_id, render_chart(history, catalogue), "png")
        dispatcher.utter_message(
            response="utter_progress_chart",
            change=" ".join(change_sentences(history, catalogue)),
            description=text_alternative(history, catalogue),
            image=chart.link,
        )
        return []


class ActionExportSummary(Action):
    """The latest result, the plan and the history as a PDF and as plain text."""

    def __init__(self, files: Optional[FileStore] = None, today: Callable[[], date] = utc_today) -> None:
        self._files = files
        self._today = today

    def name(self) -> Text:
        return "action_export_summary"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        catalogue = load_catalogue()
        history = check_ins(stored_history(tracker), list(catalogue.questions))
        if not history:
            dispatcher.utter_message(response="utter_summary_none")
            return []
        today, files = self._today(), self._files or FileStore()
        document = summary(history, catalogue, today)
        pdf = files.put(tracker.sender_id, as_pdf(document), "pdf")
        text = files.put(tracker.sender_id, as_text(document).encode("utf-8"), "txt")
        names = wording()["files"]
        if tracker.get_latest_input_channel() in LINK_CHANNELS:
            dispatcher.utter_message(response="utter_summary_links", pdf_link=pdf.link, text_link=text.link)
            return []
        dispatcher.utter_message(response="utter_summary_ready")
        for stored, kind in ((pdf, "pdf"), (text, "text")):
            dispatcher.utter_message(attachment=attachment(stored, names[f"{kind}_title"], names[f"{kind}_name"], today))
        return []


def attachment(stored: StoredFile, title: str, file_name: str, today: date) -> Dict[str, Any]:
    """What an `attachment` message carries: the link, and what to call the file."""
    return {
        "type": "file",
        "url": stored.link,
        "title": title,
        "name": file_name.format(date=today.isoformat()),
        "mime_type": stored.content_type,
    }
