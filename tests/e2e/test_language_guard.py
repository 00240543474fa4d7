"""The language guard's verdicts (components/language_guard.py), without a trained model.

It lives beside the bad-input tests because it exists for them; it needs no server.
"""

import pytest

from components.language_guard import NON_ENGLISH, UNREADABLE, verdict


@pytest.mark.parametrize(
    "text",
    [
        "Je me sens très seul dans ma relation, mon mari ne me parle plus.",
        "Me siento muy sola, mi novio no me habla",
        "Ich fühle mich so allein, mein Freund hört mir nicht zu",
        "Mi sento sola, il mio ragazzo non mi parla mai",
        "Eu me sinto sozinha, meu namorado não fala comigo",
        "Ik voel me alleen, mijn vriend praat niet met mij",
        "hola",
        "merci beaucoup",
        "Привет, мне очень плохо",
        "我的男朋友不跟我说话",
        "لا أعرف ماذا أفعل",
    ],
)
def test_other_languages_are_recognised(text: str) -> None:
    assert verdict(text) == NON_ENGLISH


@pytest.mark.parametrize(
    "text",
    [
        "hello",
        "what is codependency?",
        "codependency?",
        "I told my partner Maria that we need more time alone",
        "my boyfriend said je t'aime but then ignored me",
        "I went to Paris with my husband and we ate at a café called Le Petit Jardin",
        "my mother and I talk in Spanish: te quiero mamá, she says",
        "ta very much",
        "per week I see him once",
        "non stop arguing lately",
        "😢😢😢",
        "",
        "<script>alert(1)</script>",
        "Sometimes I can't say no to him, even when I'm exhausted",
    ],
)
def test_english_and_symbols_are_left_to_the_classifier(text: str) -> None:
    assert verdict(text) is None


@pytest.mark.parametrize("text", ["x" * 2000, "/foo", '/xyz{"a":1}', "  /start_reflection"])
def test_unreadable_text_and_commands_ask_to_rephrase(text: str) -> None:
    # Known payloads are put back by Rasa's RegexMessageHandler, which runs after the guard.
    assert verdict(text) == UNREADABLE
