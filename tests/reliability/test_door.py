"""What a person sees at the door: a note when only the beginning was read, one request to slow
down, an apology when a store is down, and a crisis always read."""

from __future__ import annotations


import sqlalchemy.exc
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from reliability.door import Door, answer_or_apologise, cut_text
from reliability.rate_limit import MemoryWindows, RateLimiter
from reliability.settings import Limits
from reliability.texts import _texts

LIMITS = Limits(max_message_characters=4000, rate_limit=3, rate_limit_per_address=0)


def texts_of(kind: str) -> set[str]:
    return {text.split("{")[0] for text in _texts()[kind]}


def starts_like(text: str, kind: str) -> bool:
    return any(text.startswith(prefix) for prefix in texts_of(kind))


class Rasa:
    """Stands in for Rasa's handler: remembers what it was given, answers "ok"."""

    def __init__(self, error: Exception | None = None) -> None:
        self.received: list[str] = []
        self.error = error

    async def __call__(self, message: UserMessage) -> None:
        self.received.append(message.text)
        if self.error:
            raise self.error
        await message.output_channel.send_text_message(message.sender_id, "ok")


def message(text: str, sender: str = "ana") -> tuple[UserMessage, CollectingOutputChannel]:
    output = CollectingOutputChannel()
    return UserMessage(text, output, sender), output


def door(crisis: bool = False) -> Door:
    async def crisis_check(_: str) -> bool:
        return crisis

    return Door(LIMITS, RateLimiter(LIMITS, MemoryWindows()), crisis_check)


def replies(output: CollectingOutputChannel) -> list[str]:
    return [sent["text"] for sent in output.messages]


async def test_a_100_kb_message_is_cut_and_the_person_told_before_the_reply() -> None:
    rasa = Rasa()
    user_message, output = message("I feel unheard at home. " * 4300)  # about 100 KB
    await door().receive(user_message, rasa)
    assert len(rasa.received[0]) <= 4000
    first, second = replies(output)
    assert starts_like(first, "message_cut") and "4,000" in first
    assert second == "ok"


async def test_a_message_with_no_words_is_answered_at_the_door_and_never_reaches_the_dialogue() -> None:
    for text in ("", "   ", "\n\t "):
        rasa = Rasa()
        user_message, output = message(text)
        await door().receive(user_message, rasa)
        assert rasa.received == []
        [reply] = replies(output)
        assert starts_like(reply, "no_words")


def test_cutting_keeps_short_text_and_ends_on_a_word() -> None:
    assert cut_text("hello", 4000) == ("hello", False)
    cut, was_cut = cut_text("word " * 2000, 4000)
    assert was_cut and len(cut) <= 4000 and cut.endswith("word")


async def test_over_the_limit_messages_are_not_read_and_the_note_comes_once() -> None:
    rasa, gate = Rasa(), door()
    outputs = []
    for n in range(6):
        user_message, output = message(f"message {n}")
        await gate.receive(user_message, rasa, "203.0.113.7")
        outputs.append(replies(output))
    assert rasa.received == ["message 0", "message 1", "message 2"]
    assert outputs[3] and starts_like(outputs[3][0], "slow_down")
    assert outputs[4] == outputs[5] == []


async def test_a_crisis_over_the_limit_is_read() -> None:
    rasa, gate = Rasa(), door(crisis=True)
    for n in range(5):
        await gate.receive(message(f"I am not safe {n}")[0], rasa)
    assert len(rasa.received) == 5


async def test_a_store_failure_gets_an_apology_not_silence() -> None:
    rasa = Rasa(sqlalchemy.exc.OperationalError("SELECT", {}, Exception("could not connect")))
    user_message, output = message("hello")
    await door().receive(user_message, rasa)
    assert [starts_like(text, "store_down") for text in replies(output)] == [True]


async def test_any_other_failure_gets_an_apology_too() -> None:
    user_message, output = message("hello")
    await answer_or_apologise(door().receive(user_message, Rasa(RuntimeError("boom"))), user_message)
    assert len(replies(output)) == 1 and starts_like(replies(output)[0], "action_down")
