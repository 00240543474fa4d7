"""The combined reader: rules and model voting, the parse's verdicts applied to model hits, the
source/score fields, and bad input. A stub model that is sure of one label makes the combination's
semantics testable on their own; the trained model (make train-signs) is tested on paraphrase."""

from typing import List, Sequence

import numpy as np
import pytest

from actions.signs import detect_signs
from actions.signs.detector import detector
from actions.signs.model import model
from actions.signs.reader import SignReader

LABELS = list(detector().book.signs)


class SureModel:
    """Scores `label` 0.99 on every clause (or every clause holding `cue`), everything else `rest`."""

    def __init__(self, label: str, cue: str = "", rest: float = 0.05) -> None:
        self.labels, self.thresholds = LABELS, {}
        self.config = {"units": "clause"}
        self.column, self.cue, self.rest = LABELS.index(label), cue, rest

    def scores(self, spans: Sequence) -> np.ndarray:
        rows = np.full((len(spans), len(LABELS)), self.rest)
        for row, span in enumerate(spans):
            if self.cue in span.text:
                rows[row, self.column] = 0.99
        return rows

    def threshold(self, label: str) -> float:
        return 0.5


def read(label: str, text: str, cue: str = "") -> List:
    return [sign for sign in SignReader(detector(), SureModel(label, cue)).detect(text) if sign.label == label]


def test_a_model_hit_quotes_its_clause_exactly() -> None:
    text = "We had a lovely weekend. Honestly i mostly paint on sundays, and she is happy."
    signs = read("own_identity", text, cue="paint")
    assert [sign.evidence for sign in signs] == ["Honestly i mostly paint on sundays"]
    assert text[signs[0].start : signs[0].end] == signs[0].evidence
    assert (signs[0].source, signs[0].score, signs[0].subject) == ("model", 0.99, "self")


@pytest.mark.parametrize(
    "text",
    [
        "I used to never say no, now I can",
        "I used to never say no",
        "I don't think I never say no",
    ],
)
def test_the_past_and_an_outside_negation_silence_the_model(text: str) -> None:
    assert read("poor_boundaries", text) == []


@pytest.mark.parametrize(
    "text, cue",
    [
        ("I used to pull away whenever anyone got close. Therapy helped and that's not me anymore.", "not me"),
        ("I used to be right soft wi him, but I've stopped that now.", "stopped that"),
        ("I used to check his location. Haven't done that in years.", "done that"),
    ],
)
def test_a_clause_that_only_ends_what_came_before_gives_the_model_nothing(text: str, cue: str) -> None:
    assert read("lost_identity", text, cue=cue) == []


def test_a_plan_is_not_yet_a_sign_but_a_stance_said_now_is() -> None:
    assert read("open_communication", "I'm going to tell him how I feel about his mum's comments", cue="tell") == []
    assert read("validation_seeking", "im gonna tell her how i feel", cue="tell") == []
    assert read("own_identity", "i'm not going to change my views to match his", cue="change")
    assert read("rejects_needing_others", "Nobody's ever going to have to look after me", cue="look")


def test_a_clause_that_does_a_thing_to_it_is_still_read() -> None:
    assert read("emotional_suppression", "he says crying is weak so i dont do it in front of him", cue="do it")


def test_the_present_version_is_read() -> None:
    [sign] = read("poor_boundaries", "I never say no, even when I can't")
    assert sign.evidence == "I never say no"


def test_a_catalogue_match_that_was_negated_vetoes_the_model() -> None:
    assert read("control", "I never check his phone") == []


def test_subject_comes_from_the_parse() -> None:
    assert [s.subject for s in read("external_focus", "my boyfriend always pulls away when things get serious")] == [
        "partner"
    ]
    assert [s.subject for s in read("external_focus", "My sister always pulls away when things get serious")] == [
        "other"
    ]


def test_a_how_question_is_not_claimed_by_the_model() -> None:
    assert read("poor_boundaries", "How do I stop agreeing to everything?") == []


@pytest.mark.parametrize(
    "text",
    [
        "yeah go on then",                           # too short
        "ok, tell me more about saying no to him",   # an order to the assistant
        "what would i even say to her",              # a question
        "ok what else should i know about my boyfriend",
        "who reads what i write here",
        "is it normal to never say no to my husband",
        "the printer keeps dropping the wifi again",  # nobody named
        "ok i'd rather skip that one",               # the writer alone, in a few words
    ],
)
def test_the_chatter_gate_keeps_the_model_out_of_conversation(text: str) -> None:
    assert read("people_pleasing", text) == []


@pytest.mark.parametrize(
    "text",
    [
        "why do I always give in to him?",
        "When he forgot my birthday I smiled and said it didn't matter",
        "cant say no to him ever",
        "i gave up painting, the gym and every hobby i ever had",
    ],
)
def test_the_chatter_gate_lets_a_report_through(text: str) -> None:
    assert [sign.source for sign in read("people_pleasing", text)] == ["model"]


def test_a_rule_hit_keeps_its_evidence_and_says_both_when_the_model_agrees() -> None:
    [sign] = read("poor_boundaries", "Honestly? I can't say no to him, ever.")
    assert (sign.evidence, sign.source, sign.score) == ("I can't say no to him", "both", 0.99)


def test_the_rules_negation_twin_wins_over_the_model() -> None:
    # The catalogue reads "not afraid to turn him down" as a healthy boundary on these words; the
    # model, sure of the opposite, is unsure of it (0.3: above the rule veto, below the threshold).
    labels = [sign.label for sign in SignReader(detector(), SureModel("poor_boundaries", rest=0.3)).detect(
        "I'm not afraid to turn him down")]
    assert labels == ["healthy_boundaries"]


class DoubtingModel(SureModel):
    """Scores every label `level` on every clause."""

    def __init__(self, level: float) -> None:
        super().__init__("control")
        self.level = level

    def scores(self, spans: Sequence) -> np.ndarray:
        return np.full((len(spans), len(LABELS)), self.level)


def test_a_rule_hit_the_model_all_but_rules_out_is_dropped() -> None:
    reader = SignReader(detector(), DoubtingModel(0.001))
    assert reader.rule_floor > 0.001 and reader.detect("I can't say no to him") == []
    [sign] = SignReader(detector(), DoubtingModel(reader.rule_floor)).detect("I can't say no to him")
    assert (sign.label, sign.source) == ("poor_boundaries", "rule")


def test_one_clause_gives_at_most_one_model_sign() -> None:
    # A model sure of every label on a clause would otherwise name fifteen signs in one breath.
    reader = SignReader(detector(), DoubtingModel(0.99))
    signs = reader.detect("Every evening my partner and I sit on the sofa for a long time")
    assert reader.per_clause == 1 and [sign.source for sign in signs] == ["model"]


def test_a_second_model_sign_needs_a_firmer_score_than_the_first() -> None:
    # A message that already shows one sign rarely shows a second the model is only just sure of:
    # on the development sets those were mostly a neighbouring label or an ordinary clause.
    text = "He checks my phone every night. Every evening I sit on the sofa for a long time."
    margin = SignReader(detector(), DoubtingModel(0.5)).extra_margin
    unsure = SignReader(detector(), DoubtingModel(0.5 + margin / 2)).detect(text)
    assert margin > 0 and [sign.label for sign in unsure] == ["control"]
    assert len(SignReader(detector(), DoubtingModel(0.99)).detect(text)) > 1


def test_a_rule_hit_in_a_comma_list_is_judged_on_its_own_item() -> None:
    # spaCy parses the list as one clause; only "He checks my phone" speaks for control.
    class ItemModel(SureModel):
        def scores(self, spans: Sequence) -> np.ndarray:
            rows = np.full((len(spans), len(LABELS)), 0.05)
            rows[[span.text == "He checks my phone" for span in spans], self.column] = 0.99
            return rows

    reader = SignReader(detector(), ItemModel("control"))
    text = "He checks my phone, I can't say no to him, I keep my feelings to myself"
    assert "control" in [sign.label for sign in reader.detect(text)]


def test_without_a_trained_model_the_catalogue_reads_alone() -> None:
    [sign] = SignReader(detector(), None).detect("I can't say no to him")
    assert (sign.label, sign.source, sign.score) == ("poor_boundaries", "rule", None)


BAD_INPUT = [
    "",
    "   \n\t ",
    "😀😀🙏🙏 😭",
    "Je ne sais pas quoi faire ce week-end, il pleut à Paris",
    "<script>alert(1)</script><b>hello</b> <div class='x'>&nbsp;</div>",
    "We walked the dog by the river. " * 625,  # 20,000 characters
    "\x00\x01 }{][ ;;; ---",
]


@pytest.mark.parametrize("text", BAD_INPUT)
def test_bad_input_neither_raises_nor_invents_a_sign(text: str) -> None:
    assert detect_signs(text) == []


trained = pytest.mark.skipif(model() is None, reason="no trained sign model (make train-signs)")


@trained
@pytest.mark.parametrize(
    "text, label, subject",
    [
        ("whenever she gets close i find a reason to pick a fight and disappear for a week", "avoids_intimacy", "self"),
        ("my boyfriend bails the second things get serious with anyone", "avoids_intimacy", "partner"),
    ],
)
def test_the_trained_model_hears_a_paraphrase_the_catalogue_misses(text: str, label: str, subject: str) -> None:
    assert label not in [sign.label for sign in detector().detect(text)]
    [sign] = [sign for sign in detect_signs(text) if sign.label == label]
    assert (sign.source, sign.subject) == ("model", subject)
    assert text[sign.start : sign.end] == sign.evidence and 0.0 <= sign.score <= 1.0


@trained
def test_the_trained_model_leaves_a_finished_habit_alone() -> None:
    assert "poor_boundaries" not in [sign.label for sign in detect_signs("I used to never say no, now I can")]
    assert "avoids_intimacy" not in [
        sign.label for sign in detect_signs("i used to pick a fight and disappear whenever she got close")
    ]


@trained
def test_signs_carry_a_source_and_a_score() -> None:
    for sign in detect_signs("I can't say no to him and whenever she gets close i disappear for a week"):
        assert sign.source in ("rule", "model", "both")
        assert sign.score is not None and 0.0 <= sign.score <= 1.0
        assert set(sign.to_dict()) >= {"label", "pattern", "subject", "evidence", "start", "end", "source", "score"}


@pytest.mark.parametrize(
    "label, text, cue, subject",
    [
        # A name with no person word beside it is the partner ...
        ("control", "Orla reads my texts every single night", "reads", "partner"),
        # ... unless introduced as someone else, family ("our Kieran") or with a partner of its own.
        ("poor_boundaries", "My flatmate Jess is sweet. Jess never turns anyone down.", "turns", "other"),
        ("self_sacrifice", "Our Kieran gave up his apprenticeship for that girl", "gave", "other"),
        ("external_focus", "Deepa plans her whole weekend around her husband's moods", "plans", "other"),
        ("people_pleasing", "She agrees with everything her husband's family says", "agrees", "other"),
        # The writer's own partner keeps being the partner when "his wife" is the writer.
        ("need_as_weakness", "My husband says if he needs his wife's help he's not a man", "needs", "partner"),
        # A when/if clause the parser made the root: the main clause's subject is whose it is.
        ("self_sacrifice", "Whenever Rohan wants money I hand it over", "hand", "self"),
        ("avoids_intimacy", "Every time Ellie says she misses me I go quiet for days", "quiet", "self"),
        ("external_focus", "My tía cancels everything when my tío is in a mood", "cancels", "other"),
        # A partner's healthy habit the writer only approves of stays the partner's.
        ("own_identity", "He has his own mates and his climbing, and I love that about him", "has", "partner"),
        ("open_communication", "She tells me straight when something bugs her, which I appreciate", "tells", "partner"),
        ("own_identity", "My wife has her own running group and her own holidays, and I think it's brilliant", "has", "partner"),
        # The writer asked about ("how I'm feeling") is not the writer doing it.
        ("open_communication", "My girlfriend asks me how I'm actually feeling and waits for the answer", "asks", "partner"),
        # "the minute …" opens a clause like "every time …".
        ("avoids_intimacy", "The minute she says she loves me I go cold and work late", "cold", "self"),
        # A limit only approved of ("I respect that") is the teller's.
        ("healthy_boundaries", "My boyfriend told me he needs a night a week to himself and I respect that", "respect", "partner"),
        ("healthy_boundaries", "Told her I don't lend money to anyone, family included, and she respected that", "respected", "self"),
        ("healthy_boundaries", "I told my friend I can't lend her money again. She has respected it.", "respected", "self"),
    ],
)
def test_whose_a_model_sign_is_read_from_names_kin_and_opening_clauses(
    label: str, text: str, cue: str, subject: str
) -> None:
    assert [sign.subject for sign in read(label, text, cue)] == [subject]
