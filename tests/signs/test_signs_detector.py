"""The detector on the hard cases of the sign contract: negation, the past, whose behaviour,
several signs, ordinary messages, informal writing, and exact evidence spans."""

from typing import List

import pytest

from actions.signs import Sign, detect_signs
from actions.signs.detector import detector


def labels(text: str) -> List[str]:
    return sorted(sign.label for sign in detect_signs(text))


def rule_labels(text: str) -> List[str]:
    """The catalogue's reading alone, without the model."""
    return sorted(sign.label for sign in detector().detect(text))


def only(text: str, label: str) -> Sign:
    found = [sign for sign in detect_signs(text) if sign.label == label]
    assert len(found) == 1, f"{label} not found once in {text!r}: {detect_signs(text)}"
    return found[0]


def test_a_sign_has_the_contract_fields() -> None:
    sign = only("I can't say no to him", "poor_boundaries")
    assert (sign.pattern, sign.subject) == ("codependency", "self")
    assert sign.evidence == "I can't say no to him"
    with pytest.raises(Exception):
        sign.label = "control"  # type: ignore[misc]  # frozen


@pytest.mark.parametrize(
    "text",
    [
        "I never check his phone",
        "I don't go through her things",
        "He doesn't check my messages",
        "I used to put her first but not anymore",
        "I used to check his phone, not anymore",
        "I stopped checking her location",
        "I don't think needing people is weak",
        "I no longer hide how I feel",
        "I never cancel plans with my friends just because he is upset",
        "I don't feel I have to agree with her to keep the peace.",
        "I've never been one to bottle things up.",
        "i used to think needing people was weak lol, glad im past that phase",
        "I used to apologise for everything but I stopped doing that a couple of years ago.",
    ],
)
def test_negated_or_past_behaviour_is_not_a_sign(text: str) -> None:
    assert labels(text) == []


def test_the_affirmative_versions_are_signs() -> None:
    assert labels("I check his phone") == ["control"]
    assert labels("I put her needs before mine") == ["self_sacrifice"]
    assert labels("I always put my partner's needs before mine") == ["self_sacrifice"]
    assert labels("needing people is weak") == ["need_as_weakness"]
    assert labels("I agree with everything she says to keep the peace") == ["people_pleasing"]
    assert labels("he is the type to check my phone") == ["control"]


def test_no_trouble_saying_no_is_a_healthy_boundary() -> None:
    assert labels("I have no trouble saying no") == ["healthy_boundaries"]
    assert labels("I can't say no to her") == ["poor_boundaries"]
    assert labels("I'm not afraid to turn him down") == ["healthy_boundaries"]


@pytest.mark.parametrize(
    "text, verb, over",
    [
        ("I checked his phone every night, but not anymore", "checked", True),
        ("I put her first for years, but no longer", "put", True),
        # "anymore" in a clause of its own: a boundary said now, or a later feeling, not an ending
        ("Told her I'm not going to her parents' every Sunday anymore.", "Told", False),
        ("I gave up my spot on the team when we moved, and now I don't know what I'm into anymore.", "gave", False),
    ],
)
def test_an_ending_word_ends_only_its_own_clause(text: str, verb: str, over: bool) -> None:
    parsed = detector().parse(text)
    word = next(token for token in parsed if token.text == verb)
    assert detector().stance.is_over(parsed[word.i : word.i + 1]) is over


@pytest.mark.parametrize(
    "text",
    [
        "For years I organised my whole life around her shifts. Not anymore.",
        "Before, I was always apologising for everything to my first husband. That is finished now.",
    ],
)
def test_a_short_sentence_after_a_past_sign_can_end_it(text: str) -> None:
    assert labels(text) == []


def test_a_sentence_that_only_mentions_over_does_not_end_a_sign() -> None:
    assert "self_sacrifice" in labels("I cancelled my trip because he wanted me home. He came over anyway.")


@pytest.mark.parametrize(
    "text",
    [
        "My ex-wife chose my clothes, my friends, even my haircut. I'm with someone kind now.",
        "In my previous marriage I cancelled every plan the moment he sulked.",
        "I said yes to everything he wanted, but that was with my ex.",
        "I gave up netball for him. That was then.",
        "back in uni i read all his texts every night but i haven't done that in years",
    ],
)
def test_a_past_sign_told_of_an_ended_relationship_or_taken_back_is_over(text: str) -> None:
    assert labels(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Back when we first met I couldn't say no to her.",
        "Back when I was drinking I'd say yes to anything Maura asked. That's not me now.",
        "I couldn't say no to her, but that was fifteen years ago.",
        "I was a massive people pleaser, said yes to everyone. I'm 41 now and that's long gone.",
        "If my boyfriend ever told me what to wear I'd be out the door.",
        "if he ever tried to tell me what to wear i'd be out the door so fast lol",
    ],
)
def test_a_sign_told_as_back_then_or_only_imagined_is_not_reported(text: str) -> None:
    assert labels(text) == []


def test_a_negated_skill_negates_what_it_is_a_skill_at() -> None:
    assert "open_communication" not in rule_labels("I'm not good at saying what I need.")
    assert "open_communication" in rule_labels("She's good at saying when she's had enough.")
    # Not being ok with something does not deny that it happens.
    assert "control" in rule_labels("I'm not comfortable with him tracking my location. It's still on.")


def test_a_term_in_quotation_marks_is_mentioned_not_used() -> None:
    assert "healthy_boundaries" not in rule_labels('lol he\'s "setting boundaries" with the cat by shutting the door')
    assert "healthy_boundaries" in rule_labels("lol he's setting boundaries with me by shutting the door")
    assert "need_as_weakness" in rule_labels("He says crying in front of me would make him 'less of a man'.")


@pytest.mark.parametrize(
    "text, label",
    [
        ("I hold back when he's angry, I never say what I feel.", "emotional_suppression"),
        ("i said i'd only lend him money once, i couldn't say no to him. that was six loans ago", "poor_boundaries"),
        ("I always give in to him and it's gone on for years", "poor_boundaries"),
        ("Ben moans about the kitchen so I apologise, like I always do, even though it wasn't me.", "people_pleasing"),
    ],
)
def test_a_time_word_that_does_not_end_the_sign_leaves_it(text: str, label: str) -> None:
    assert label in labels(text)


@pytest.mark.parametrize(
    "text, label",
    [
        ("My ex keeps texting so my boyfriend checked my phone every night this week.", "control"),
        ("I gave up netball for him. That was the hardest part.", "self_sacrifice"),
        ("I read his messages every night and I can't stop doing it.", "control"),
        ("I said yes to everything he wanted. He never did it back.", "people_pleasing"),
    ],
)
def test_only_the_writers_own_ending_or_an_ended_relationship_ends_a_sign(text: str, label: str) -> None:
    assert label in labels(text)


def test_the_catalogue_does_not_read_still_doing_it_as_a_life_of_ones_own() -> None:
    assert "own_identity" not in rule_labels("she knows I hate being tickled and she still does it")
    assert "own_identity" in rule_labels("I still play five-a-side every Thursday with my mates.")


@pytest.mark.parametrize(
    "text",
    ["is people pleasing always a bad thing? my mum says being nice is just manners",
     "Does being independent mean you don't need a partner? asking for a school essay"],
)
def test_a_question_about_the_words_is_not_a_sign(text: str) -> None:
    assert labels(text) == []


def test_a_question_about_the_writer_still_reports() -> None:
    # The catalogue reads it; since the night of 2026-12-04 the model also names self_sacrifice here.
    assert "poor_boundaries" in labels("why do I always give in to him?")


@pytest.mark.parametrize(
    "text",
    ["If he ever went through my phone I'd be out the door, but he never has.",
     "I would leave if he read my messages."],
)
def test_a_sign_in_the_condition_of_an_imagined_outcome_is_not_a_pattern(text: str) -> None:
    assert rule_labels(text) == []


@pytest.mark.parametrize(
    "text, label",
    [("If I say no he sulks for days, so I just go along with whatever he wants.", "people_pleasing"),
     ("I'd feel weak if I told him I needed him.", "need_as_weakness"),
     ("He checks my phone every night and if I complain he goes quiet for days.", "control")],
)
def test_a_habit_under_a_condition_or_an_imagined_belief_still_reports(text: str, label: str) -> None:
    assert label in labels(text)


@pytest.mark.parametrize(
    "text",
    ["I looked through her phone once, after she'd been out late. Felt awful about it.",
     "I gave up my Saturday to help her brother move flat, just a one-time thing."],
)
def test_a_thing_done_once_is_not_a_pattern(text: str) -> None:
    assert labels(text) == []


@pytest.mark.parametrize(
    "text, label",
    [("He's never once said no to his mother", "poor_boundaries"),
     ("Once he starts talking about moving in together I stop answering his texts", "avoids_intimacy"),
     ("I told him once that Sunday mornings are mine and he has kept to it ever since", "healthy_boundaries")],
)
def test_once_that_counts_or_a_limit_said_once_still_reports(text: str, label: str) -> None:
    assert label in labels(text)


def test_a_negation_inside_a_phrase_negates_it_unless_the_phrase_says_it() -> None:
    # The gap in "needing ...4 is ...4 weak" swallowed the "isn't" and the belief was named.
    assert rule_labels("needing people isn't weak, it's human") == []
    assert rule_labels("asking for help doesn't make you weak") == []
    assert rule_labels("My dad says a man who asks for help is not a real man") == ["need_as_weakness"]


def test_both_giving_is_give_and_take_only_when_it_is_to_each_other() -> None:
    assert rule_labels("My brother and his wife both gave up meat in January.") == []
    assert rule_labels("we both give each other room when work gets heavy") == ["mutual_support"]


def test_control_of_a_thing_is_a_sign_only_when_the_thing_shapes_a_life() -> None:
    assert rule_labels("my partner controls the thermostat lol, that's about it") == []
    assert rule_labels("he controls the money and the car keys") == ["control"]


def test_giving_up_everything_for_someone_is_self_sacrifice_whoever_does_it() -> None:
    sign = [s for s in detector().detect("my aunt gives up everything for my uncle") if s.label == "self_sacrifice"]
    assert [s.subject for s in sign] == ["other"]
    assert rule_labels("I gave up everything for him") == ["self_sacrifice"]


def test_not_knowing_what_one_wants_from_a_relationship_is_doubt_not_a_lost_self() -> None:
    assert labels("honestly i don't know what i want from this") == []
    assert labels("i don't remember what i used to do before him") == ["lost_identity"]
    assert labels("i don't know what i like anymore") == ["lost_identity"]


def test_a_past_sign_does_not_hide_a_present_one() -> None:
    text = "I used to check his phone, not anymore, but I still can't say no to him"
    assert labels(text) == ["poor_boundaries"]


@pytest.mark.parametrize(
    "text, subject",
    [
        ("He checks my messages every night", "partner"),
        ("I read through his emails to be sure", "self"),
        ("My sister always puts others first", "other"),
        ("My boyfriend tells me what to wear", "partner"),
        ("My mum can't say no to my stepdad", "other"),
        # Someone else's partner is not the writer's: "his girlfriend", "my sister's husband".
        ("My roommate Tyler's girlfriend decides who he can hang out with.", "other"),
        ("My sister's husband tracks her car.", "other"),
        ("My best friend's boyfriend checks her phone every night.", "other"),
        ("my brother's wife keeps her own friends and her own hobbies", "other"),
        # "she" refers back to the last person named, when that is not the writer's partner.
        ("My flatmate Grace is lovely. She can never say no to anyone.", "other"),
        ("Tyler's girlfriend is nice. She reads his messages every night though.", "other"),
        # Being spoken to does not make the partner's healthy sign the writer's.
        ("My girlfriend tells me straight when she's upset.", "partner"),
        ("My wife can say no to her boss without feeling guilty.", "partner"),
        ("He listens and I tell him what I need.", "self"),
        # What is watched or asked about is the watcher's sign, not the watched one's.
        ("Every evening I check his face to see what sort of day he's had", "self"),
        ("She insists on knowing who I'm texting at all times", "partner"),
    ],
)
def test_whose_behaviour_it_is(text: str, subject: str) -> None:
    signs = detect_signs(text)
    assert signs and all(sign.subject == subject for sign in signs), signs


def test_several_signs_in_one_message() -> None:
    text = "I can't say no to him, I keep my feelings to myself and I check his phone every night"
    assert labels(text) == ["control", "emotional_suppression", "poor_boundaries"]


@pytest.mark.parametrize(
    "text",
    ["We went hiking on Saturday", "My partner's birthday is on Friday", "", "   ", "ok"],
)
def test_ordinary_messages_have_no_sign(text: str) -> None:
    assert detect_signs(text) == []


@pytest.mark.parametrize(
    "text, label",
    [
        ("i cant say no to him tbh", "poor_boundaries"),
        ("tbh i dont need anybody", "rejects_needing_others"),
        ("HE CHECKS MY PHONE EVERY SINGLE DAY", "control"),
        ("i cancel my plans all the time bc he wants me home", "self_sacrifice"),
        ("im always apologising for everything lol", "people_pleasing"),
    ],
)
def test_informal_writing(text: str, label: str) -> None:
    assert label in labels(text)


@pytest.mark.parametrize(
    "text",
    [
        "I can't say no to him",
        "Honestly?   He checks my messages every night, and I pretend I'm fine.",
        "we support each other and we both have our own hobbies",
        "HE CHECKS MY PHONE EVERY SINGLE DAY",
        "My mood depends on his and I always cancel my plans when he wants me home",
    ],
)
def test_evidence_is_the_exact_substring(text: str) -> None:
    signs = detect_signs(text)
    assert signs
    for sign in signs:
        assert text[sign.start : sign.end] == sign.evidence
        assert sign.evidence.strip() == sign.evidence and sign.evidence


def test_signs_come_in_reading_order() -> None:
    signs = detect_signs("I check her phone. Also I can't say no to her.")
    assert [sign.label for sign in signs] == ["control", "poor_boundaries"]
    assert signs[0].start < signs[1].start


def test_a_healthy_sign_that_is_only_wished_for_is_not_claimed() -> None:
    assert labels("I wish we could talk openly") == []
    assert labels("How do I say no to him?") == []


def test_evidence_stays_within_its_own_clause() -> None:
    text = "We both support each other and I still have my own hobbies and friends"
    quotes = {sign.label: sign.evidence for sign in detect_signs(text)}
    assert quotes["own_identity"].startswith("I still have my own hobbies")
    assert quotes["mutual_support"] == "We both support each other"


def test_a_quote_keeps_what_its_words_are_about_without_running_on() -> None:
    # Quoted back to the person, "she agrees with everything" loses whose words she agrees with;
    # the phrase after "everything" is kept, the clause after the comma is not.
    [sign] = [s for s in detect_signs("she agrees with everything her mother says, then cries in the car")
              if s.label == "people_pleasing"]
    assert sign.evidence == "she agrees with everything her mother says"
