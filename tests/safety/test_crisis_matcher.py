"""The crisis matcher finds every kind of danger, quotes the writer, and stays quiet on figures of speech.

Sentences here are separate from tests/data/crisis.jsonl (the held-out gate run by
scripts/eval_crisis.py); each pattern change in crisis_patterns.yml should add a case here.
"""

import pytest

from actions.nlp import load_nlp
from actions.safety.crisis import CrisisMatch, find_all_crises, find_crisis

KIND_CASES = [
    ("suicidal_thoughts", "Honestly I think about killing myself most nights"),
    ("suicidal_thoughts", "i wanna die"),
    ("suicidal_thoughts", "im so tired of being alive"),
    ("suicidal_thoughts", "my family would be better off without me"),
    ("suicidal_thoughts", "I don't want to be here anymore"),
    ("suicidal_thoughts", "there is nothing to live for since she left"),
    ("suicidal_thoughts", "I have a plan to take my own life"),
    ("suicidal_thoughts", "nobody would really notice if i was gone"),
    ("suicidal_thoughts", "i just want to sleep and never wake up"),
    ("suicidal_thoughts", "I'm going to end it, I can't do this"),
    ("suicidal_thoughts", "i feel like ending it all"),
    ("suicidal_thoughts", "I think about dying a lot"),
    ("suicidal_thoughts", "what if i just wasnt here anymore"),
    ("suicidal_thoughts", "I have the rope ready"),
    ("suicidal_thoughts", "I just took a whole bottle of pills"),
    ("suicidal_thoughts", "i keep having thoughts of not being alive"),
    ("suicidal_thoughts", "I hate my life and want it all to stop"),
    ("self_harm", "I started cutting again after our fight"),
    ("self_harm", "i hurt myself on purpose when he ignores me"),
    ("self_harm", "sometimes I burn my skin to feel something"),
    ("self_harm", "been selfharming for a month"),
    ("partner_violence", "My boyfriend slapped me last night"),
    ("partner_violence", "he shoved me into the wardrobe"),
    ("partner_violence", "she keeps hitting me when she's angry"),
    ("partner_violence", "he pushed me against the wall and wouldnt let go"),
    ("partner_violence", "my wife threw a glass at me"),
    ("partner_violence", "hes been choking me during arguments"),
    ("partner_violence", "he won't stop hurting me"),
    ("partner_violence", "i just want him to stop hitting me"),
    ("partner_violence", "please make her stop slapping me"),
    ("fear_for_safety", "i just want to feel safe with him again"),
    ("partner_violence", "he spat on me and pushed me"),
    ("partner_violence", "he put his hands on me"),
    ("partner_violence", "hes violent when he drinks"),
    ("partner_violence", "she hurt my son"),
    ("partner_violence", "hes drunk and smashing things and im scared"),
    ("threats", "he told me he'd kill me if I ever cheat"),
    ("threats", "she threatened to take the kids and hurt them"),
    ("threats", "my husband pulled a knife on me"),
    ("threats", "he keeps saying he will kill himself if i go"),
    ("threats", "he said nobody will ever find my body"),
    ("threats", "im in danger"),
    ("threats", "he flashed his knife at me"),
    ("threats", "she said she would make me pay for leaving"),
    ("sexual_coercion", "he made me have sex with him even though I was crying"),
    ("sexual_coercion", "My ex pressured me into sending nudes"),
    ("sexual_coercion", "I was raped by my partner"),
    ("sexual_coercion", "she keeps touching me after I told her to stop"),
    ("sexual_coercion", "he makes me do things in bed i dont want"),
    ("confinement", "he locked me in the bathroom"),
    ("confinement", "my girlfriend hides my keys so i cant go out"),
    ("confinement", "he took away my passport"),
    ("confinement", "I'm not allowed to leave the flat"),
    ("fear_for_safety", "im really scared of my boyfriend"),
    ("fear_for_safety", "I fear for my safety at home"),
    ("fear_for_safety", "I'm afraid he will hurt me when he finds out"),
    ("fear_for_safety", "i dont feel safe with him anymore"),
    ("fear_for_safety", "he's banging on my door right now"),
    ("fear_for_safety", "terrified of what my girlfriend does when she drinks"),
]

NOT_CRISES = [
    "this exam is killing me",
    "I'd kill for a holiday",
    "I'm dying to tell you about my weekend",
    "my back is killing me",
    "she killed it in the interview",
    "I laughed so hard I almost died",
    "he hits the books every evening",
    "he pushed me to take the promotion",
    "she beat me at chess again",
    "I cut my nails before the date",
    "my laptop died halfway through the film",
    "he took my hand at the restaurant",
    "I broke my phone screen yesterday",
    "we argue about chores all the time",
    "he gets jealous when I go out with friends",
    "I feel lonely in this relationship",
    "I sometimes look at her phone",
    "I'm scared of losing him",
    "I'm afraid of her reaction if I say no",
    "he has never hit me",
    "she would never hurt me",
    "I'm going to end it with him this weekend",
    "I'd be better off single",
    "I want to disappear into a book for a while",
    "I don't feel like cooking tonight",
    "he is not violent, just distant",
    "I was thinking about dying my hair red",
    "we end up dead tired every friday",
    "he hit the wall at mile twenty of the marathon",
    "I threw things out before the move",
    "we broke things off last spring",
    "he showed me his knife collection",
    "tell him to stop hitting me up at 3am",
    "I want to feel safe to share my feelings with her",
]


@pytest.mark.parametrize(("kind", "text"), KIND_CASES)
def test_each_kind_of_danger_is_found(kind: str, text: str) -> None:
    match = find_crisis(text)
    assert match is not None, text
    assert match.kind == kind


@pytest.mark.parametrize("text", NOT_CRISES)
def test_figures_of_speech_and_everyday_trouble_are_not_crises(text: str) -> None:
    assert find_crisis(text) is None


def test_evidence_quotes_the_writer_exactly_even_when_shouting() -> None:
    text = "Last night HE SLAPPED ME in front of my sister"
    match = find_crisis(text)
    assert isinstance(match, CrisisMatch)
    assert match.kind == "partner_violence"
    assert match.evidence == "SLAPPED ME"
    assert text[match.start : match.end] == match.evidence


def test_accepts_a_doc_parsed_elsewhere() -> None:
    doc = load_nlp()("i dont want to live anymore")
    match = find_crisis(doc)
    assert match is not None
    assert match.kind == "suicidal_thoughts"
    assert match.evidence == doc.text[match.start : match.end]


def test_a_doc_like_the_rasa_server_makes_is_read_as_is() -> None:
    nlp = load_nlp()
    with nlp.select_pipes(disable=["parser"]):  # Rasa's SpacyNLP loads without the parser
        doc = nlp("my husband beats me, he has never apologised")
    assert find_crisis(doc).kind == "partner_violence"


@pytest.mark.parametrize(
    ("text", "is_crisis"),
    [
        ("he has never hit me", False),
        ("she would never hurt me", False),
        ("i dont want to die of boredom at this party", False),
        ("he won't stop hitting me", True),
        ("he does not just shout, he hits me", True),
        ("I don't want to live anymore", True),
    ],
)
def test_negation_belongs_to_the_word_it_stands_before(text: str, is_crisis: bool) -> None:
    assert (find_crisis(text) is not None) is is_crisis


def test_several_dangers_in_one_message_are_all_listed_in_order() -> None:
    doc = load_nlp()("he locked me in and i want to die")
    kinds = [match.kind for match in find_all_crises(doc)]
    assert kinds[0] == "confinement"
    assert "suicidal_thoughts" in kinds


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_empty_messages_are_not_crises(text: str) -> None:
    assert find_crisis(text) is None
