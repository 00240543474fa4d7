"""Partner mode against the real servers: REST on both sides, and once REST with Telegram.

One server serves both channels (the Telegram fixture also serves REST), talking to the fake Bot
API, with the reminder scheduler (which delivers the partner-joined notice). Each test plays its
own people. What a person is told is checked by response name and text;
what is stored is checked in the tracker database itself.
"""

from __future__ import annotations

import itertools
import time
import uuid
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
import sqlalchemy as sa

from actions.partner import store as stores
from actions.partner.codes import find_code
from reminding.store import reminders
from tests.channels.conftest import message_update, post_update, telegram_env
from tests.channels.fake_bot_api import FakeBotApi
from tests.servers import RunningAssistant, start_assistant

ANSWER = '/answer_reflection{"reflection_level":"%d"}'
CALM = [1, 1, 5, 1, 1, 5, 1, 5, 5, 5]  # no strain on any theme (reverse-scored questions: Always)
NOTICE = "Your partner has joined you in partner mode"
NOTICE_BUTTONS = ["Start a check-in", "Compare with my partner"]
_chats = itertools.count(int(time.time()) * 10 + 7)


@pytest.fixture(scope="module")
def fake_bot_api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as fake:
        yield fake


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, fake_bot_api: FakeBotApi) -> Iterator[RunningAssistant]:
    """The repo's channels (REST through the door, Telegram, the reminder scheduler) on one server."""
    with start_assistant(
        Path(tmp_path_factory.mktemp("partner")),
        env={**telegram_env(fake_bot_api.base_url), "REMINDER_POLL_SECONDS": "0.2"},
    ) as running:
        yield running


def person(name: str) -> str:
    return f"{name}-{uuid.uuid4().hex[:8]}"


def say(server: RunningAssistant, sender: str, text: str) -> tuple[list[str], str]:
    """Send over REST; the names of the responses it caused and all their text."""
    before = len(server.tracker(sender)["events"])
    replies = server.send(sender, text)
    events: list[dict[str, Any]] = server.tracker(sender)["events"][before:]
    names = [(e.get("metadata") or {}).get("utter_action") for e in events if e.get("event") == "bot"]
    return names, "\n".join(reply.get("text", "") for reply in replies)


def invite(server: RunningAssistant, sender: str) -> str:
    names, text = say(server, sender, "invite my partner")
    assert names == ["utter_partner_invite_code"], names
    code = find_code(text)
    assert code and code in text
    return code


def link(server: RunningAssistant, inviter: str, joiner: str) -> str:
    """Link two people (the inviter on REST); the code that was used."""
    code = invite(server, inviter)
    assert say(server, joiner, f"join my partner with code {code}")[0] == ["utter_partner_consent"]
    assert say(server, joiner, "/affirm")[0] == ["utter_partner_linked"]
    notice_held(server, inviter)
    return code


def notice_held(server: RunningAssistant, inviter: str) -> None:
    """Wait until the joined notice waits for the REST inviter's next reply, so what that reply
    holds does not depend on which scheduler round the message falls in (one being sent right
    then is shown after the reply instead of in it)."""
    wait_for(lambda: notice_statuses(server, inviter) == ["waiting"], "the notice to wait for the inviter's next reply")


def check_in(server: RunningAssistant, sender: str, values: list[int]) -> None:
    names, _ = say(server, sender, "start a check-in")
    assert "utter_reflection_intro" in names
    for value in values:
        names, _ = say(server, sender, ANSWER % value)
    assert "utter_reflection_question" not in names


def wait_for(condition: Callable[[], Any], what: str, seconds: float = 20) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def notice_statuses(server: RunningAssistant, sender: str) -> list[str]:
    return [row.status for row in rows(server, reminders, sender)]


def rows(server: RunningAssistant, table: sa.Table, *senders: str) -> list[Any]:
    engine = sa.create_engine(f"sqlite:///{server.tracker_db}")
    column = table.c.sender_id if "sender_id" in table.c else table.c.inviter
    with engine.connect() as db:
        found = list(db.execute(sa.select(table).where(column.in_(senders))))
    engine.dispose()
    return found


def test_invite_consent_two_check_ins_and_compare_over_rest(server: RunningAssistant) -> None:
    ann, ben = person("ann"), person("ben")
    code = invite(server, ann)
    assert say(server, ben, "compare with my partner")[0] == ["utter_partner_not_linked_yet"]

    names, consent = say(server, ben, f"join my partner with code {code}")
    assert names == ["utter_partner_consent"]
    assert "never" in consent.lower() and "watch" in consent and "unlink my partner" in consent
    # Before the yes: nothing linked, nothing shown, on either side.
    assert say(server, ann, "compare with my partner")[0] == ["utter_partner_not_linked_yet"]
    assert rows(server, stores.members, ann, ben) == []

    assert say(server, ben, f"join my partner with code {code}")[0] == ["utter_partner_consent"]
    assert say(server, ben, "yes")[0] == ["utter_partner_linked"]
    notice_held(server, ann)
    # A partner message of the inviter's says it in place; before both check-ins, nothing shows.
    assert say(server, ann, "compare with my partner")[0] == ["utter_partner_joined_note", "utter_partner_compare_needs_yours"]
    check_in(server, ann, CALM)
    assert say(server, ann, "compare with my partner")[0] == ["utter_partner_compare_needs_theirs"]
    assert say(server, ben, "compare with my partner")[0] == ["utter_partner_compare_needs_yours"]

    opposite = [6 - value for value in CALM]
    check_in(server, ben, opposite)
    names, text = say(server, ben, "compare with my partner")
    assert names[0] == "utter_partner_compare_intro" and "utter_partner_compare_no_verdict" in names
    assert "utter_partner_compare_differ" in names and "opposite ends" in text
    assert "utter_partner_compare_exercise" in names
    assert "codependent" not in text.lower()
    assert len(rows(server, stores.results, ann, ben)) == 2


def test_wrong_expired_reused_and_own_codes_link_no_one(server: RunningAssistant) -> None:
    ann, ben, cat = person("ann"), person("ben"), person("cat")
    code = invite(server, ann)
    assert say(server, ann, f"join my partner with code {code}")[0] == ["utter_partner_code_own"]
    assert say(server, ben, "join my partner with code ABCD2345EF")[0] == ["utter_partner_code_unknown"]
    assert say(server, ben, "join my partner")[0] == ["utter_partner_code_missing"]

    engine = sa.create_engine(f"sqlite:///{server.tracker_db}")
    with engine.begin() as db:  # two days pass for this invitation
        db.execute(stores.invites.update().where(stores.invites.c.inviter == ann).values(expires_at=time.time() - 1))
    engine.dispose()
    assert say(server, ben, f"join my partner with code {code}")[0] == ["utter_partner_code_expired"]

    link(server, ann, ben)
    code = invite(server, cat)
    assert say(server, ben, f"join my partner with code {code}")[0] == ["utter_partner_already_linked"]
    used = link(server, cat, person("dan"))
    assert say(server, person("eve"), f"join my partner with code {used}")[0] == ["utter_partner_code_used"]


def test_more_than_five_wrong_codes_in_an_hour_block_even_a_right_one(server: RunningAssistant) -> None:
    ann, mallory = person("ann"), person("mallory")
    code = invite(server, ann)
    for attempt in range(6):
        assert say(server, mallory, f"join my partner with code WRONG{attempt}2345")[0] == ["utter_partner_code_unknown"]
    assert say(server, mallory, f"join my partner with code {code}")[0] == ["utter_partner_code_blocked"]
    assert rows(server, stores.members, mallory) == []


@pytest.mark.parametrize("side", ["inviter", "joiner"])
def test_unlink_on_either_side_is_silent_and_removes_the_rows(server: RunningAssistant, side: str) -> None:
    ann, ben = person("ann"), person("ben")
    link(server, ann, ben)
    check_in(server, ann, CALM)
    leaving, staying = (ann, ben) if side == "inviter" else (ben, ann)
    before = len(server.tracker(staying)["events"])
    assert say(server, leaving, "unlink my partner")[0][-1] == "utter_partner_unlinked"
    assert [e for e in server.tracker(staying)["events"][before:] if e["event"] == "bot"] == []
    assert rows(server, stores.members, ann, ben) == rows(server, stores.results, ann, ben) == []
    assert say(server, staying, "compare with my partner")[0][-1] == "utter_partner_not_linked_yet"


@pytest.mark.parametrize("side", ["inviter", "joiner"])
def test_delete_my_data_on_either_side_unlinks_and_removes_shared_results(server: RunningAssistant, side: str) -> None:
    ann, ben = person("ann"), person("ben")
    link(server, ann, ben)
    check_in(server, ann, CALM)
    check_in(server, ben, CALM)
    leaving, staying = (ann, ben) if side == "inviter" else (ben, ann)
    assert say(server, leaving, "delete my data")[0] == ["utter_ask_delete_data"]
    server.send(leaving, "/affirm")
    assert rows(server, stores.members, ann, ben) == rows(server, stores.results, ann, ben) == []
    assert rows(server, stores.invites, ann) == []
    names, text = say(server, staying, "compare with my partner")
    assert names[-1] == "utter_partner_not_linked_yet" and "opposite" not in text


def test_after_a_crisis_message_linking_and_comparing_are_refused_and_helplines_go_to_the_writer(
    server: RunningAssistant,
) -> None:
    ann, ben = person("ann"), person("ben")
    link(server, ann, ben)
    check_in(server, ann, CALM)
    check_in(server, ben, CALM)
    assert "utter_crisis_support" in say(server, ben, "my partner hits me")[0]

    names, text = say(server, ann, "compare with my partner")
    assert names[-1] == "utter_partner_unavailable" and "utter_partner_compare_intro" not in names
    assert "serious" not in text and "helpline" not in text.lower()
    assert say(server, ben, "compare with my partner")[0] == ["utter_partner_paused_for_you"]

    cat = person("cat")
    code = invite(server, cat)
    assert say(server, ben, "unlink my partner")[0] == ["utter_partner_unlinked"]
    assert say(server, ben, f"join my partner with code {code}")[0] == ["utter_partner_paused_for_you"]
    assert say(server, ben, "invite my partner")[0] == ["utter_partner_paused_for_you"]
    assert rows(server, stores.members, ben, cat) == []


def test_one_partner_on_rest_and_the_other_on_telegram(server: RunningAssistant, fake_bot_api: FakeBotApi) -> None:
    ann, chat = person("ann"), next(_chats)
    code = invite(server, ann)

    def telegram(text: str) -> str:
        already = len(fake_bot_api.calls("sendMessage", chat))
        assert post_update(server, message_update(chat, text)).status_code == 200
        return "\n".join(call.params["text"] for call in fake_bot_api.calls("sendMessage", chat)[already:])

    assert "Before I link you" in telegram(f"join my partner with code {code.lower()}")
    assert "You're linked" in telegram("yes")
    notice_held(server, ann)
    assert say(server, ann, "compare with my partner")[0] == ["utter_partner_joined_note", "utter_partner_compare_needs_yours"]
    check_in(server, ann, CALM)
    telegram("start a check-in")
    for answer in ["always", "always", "never", "always", "always", "never", "always", "never", "never", "never"]:
        telegram(answer)
    comparison = telegram("compare with my partner")
    assert "opposite ends" in comparison and "isn't a diagnosis" in comparison
    names, text = say(server, ann, "compare with my partner")
    assert names[0] == "utter_partner_compare_intro" and "opposite ends" in text


def test_an_inviter_on_telegram_is_pushed_one_notice_when_the_partner_on_rest_says_yes(
    server: RunningAssistant, fake_bot_api: FakeBotApi
) -> None:
    chat, ben = next(_chats), person("ben")
    assert post_update(server, message_update(chat, "invite my partner")).status_code == 200
    code = find_code(fake_bot_api.calls("sendMessage", chat)[-1].params["text"])
    assert code and say(server, ben, f"join my partner with code {code}")[0] == ["utter_partner_consent"]

    def notices() -> list[Any]:
        return [call for call in fake_bot_api.calls("sendMessage", chat) if NOTICE in call.params["text"]]

    assert notices() == [], "nothing before the yes"
    assert say(server, ben, "yes")[0] == ["utter_partner_linked"]
    [pushed] = wait_for(notices, "the notice on Telegram", seconds=5)
    assert [row[0]["text"] for row in pushed.params["reply_markup"]["inline_keyboard"]] == NOTICE_BUTTONS
    assert ben not in pushed.params["text"]
    time.sleep(1)  # five more scheduler rounds: nothing more may come
    assert len(notices()) == 1 and notice_statuses(server, str(chat)) == ["fired"]
    assert post_update(server, message_update(chat, "compare with my partner")).status_code == 200
    assert len(notices()) == 1, "the next partner message does not say it again"


def test_an_inviter_on_rest_gets_the_notice_with_their_next_reply_once(server: RunningAssistant) -> None:
    ann, ben = person("ann"), person("ben")
    link(server, ann, ben)
    [notice] = [reply for reply in server.send(ann, "hello") if NOTICE in reply.get("text", "")]
    assert [button["title"] for button in notice["buttons"]] == NOTICE_BUTTONS
    assert NOTICE not in say(server, ann, "hello")[1]
    assert say(server, ann, "compare with my partner")[0] == ["utter_partner_compare_needs_yours"]
    assert notice_statuses(server, ben) == [], "the joiner is not sent one"


def test_unlinking_before_the_notice_is_delivered_means_no_notice(server: RunningAssistant) -> None:
    ann, ben = person("ann"), person("ben")
    link(server, ann, ben)
    assert say(server, ben, "unlink my partner")[0] == ["utter_partner_unlinked"]
    assert NOTICE not in say(server, ann, "hello")[1]
    assert say(server, ann, "compare with my partner")[0] == ["utter_partner_not_linked_yet"]
    assert notice_statuses(server, ann) == ["dropped"]
