"""The check-in's conversation tests replayed against the rules alone, without a trained model.

Every turn of the check-in is decided by RulePolicy, so training only that policy (seconds, no
`rasa train`) and replaying tests/stories/reflection.yml the way `rasa test core` does — a
rejected form lets the rules predict again — shows a broken or contradicting rule early.
"""

from pathlib import Path
from typing import Iterator, List, Tuple

import pytest
from rasa.core.policies.rule_policy import RulePolicy
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActionExecutionRejected
from rasa.shared.core.generator import TrainingDataGenerator
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
from rasa.shared.core.training_data.structures import StoryStep
from rasa.shared.importers.importer import TrainingDataImporter

REPO = Path(__file__).resolve().parents[2]
TEST_STORIES = REPO / "tests" / "stories" / "reflection.yml"


@pytest.fixture(scope="module")
def rules(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tuple[RulePolicy, Domain]]:
    importer = TrainingDataImporter.load_from_config(
        str(REPO / "config.yml"), str(REPO / "domain"), [str(REPO / "data")]
    )
    domain = importer.get_domain()
    trackers = TrainingDataGenerator(importer.get_stories(), domain, augmentation_factor=0).generate()
    policy = RulePolicy.create(
        {**RulePolicy.get_default_config(), "core_fallback_action_name": "action_default_fallback"},
        LocalModelStorage(tmp_path_factory.mktemp("rules")),
        Resource("rule_policy"),
        ExecutionContext(GraphSchema({}), "reflection-rules"),
    )
    policy.train(trackers, domain)
    yield policy, domain


def predicted(policy: RulePolicy, tracker: DialogueStateTracker, domain: Domain) -> str:
    prediction = policy.predict_action_probabilities(tracker, domain)
    return domain.action_names_or_texts[prediction.max_confidence_index]


def replay(story: StoryStep, policy: RulePolicy, domain: Domain) -> List[str]:
    """Each expected action against the rules' prediction; stops at the first difference."""
    tracker = DialogueStateTracker.from_events(story.block_name, [], slots=domain.slots)
    for index, event in enumerate(story.explicit_events(domain)):
        if isinstance(event, ActionExecuted) and index > 0:
            action = predicted(policy, tracker, domain)
            if action != event.action_name and action == tracker.active_loop_name:
                tracker.update(ActionExecutionRejected(action))
                action = predicted(policy, tracker, domain)
            if action != event.action_name:
                return [f"step {index}: expected {event.action_name}, the rules predict {action}"]
        tracker.update(event)
    return []


def load_test_stories() -> List[StoryStep]:
    domain = Domain.load(str(REPO / "domain"))
    return YAMLStoryReader(domain).read_from_file(str(TEST_STORIES))


STORIES = load_test_stories()


@pytest.mark.parametrize("story", STORIES, ids=[story.block_name for story in STORIES])
def test_the_rules_carry_the_check_in_conversation(rules, story: StoryStep) -> None:
    policy, domain = rules

    assert replay(story, policy, domain) == []
