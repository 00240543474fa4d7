"""Rasa's SpacyNLP with the spaCy pipes nothing in our pipeline reads switched off.

Rasa's SpacyNLP already disables the dependency parser but runs the entity recogniser on every
message. No component of ours uses spaCy's entities: the tokenizer and featurizer need tokens,
lemmas and the tok2vec tensor, and the crisis guard needs tokens and part-of-speech tags. Measured
with py-spy on our server under 20 users: the recogniser took 4% of the server's time. The pipes
to switch off are set in config.yml (`disabled_pipes`). Tokens, tags, lemmas and vectors stay as
they were, since the recogniser in this English pipeline has its own tok2vec layer.
"""

from __future__ import annotations

from typing import Any, Dict, Text

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.utils.spacy_utils import SpacyNLP


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MODEL_LOADER, DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER],
    is_trainable=False,
    model_from="LeanSpacyNLP",
)
class LeanSpacyNLP(SpacyNLP):
    """`SpacyNLP` that also switches off the pipes listed in `disabled_pipes`."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {**SpacyNLP.get_default_config(), "disabled_pipes": ["ner"]}

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LeanSpacyNLP:
        component = super().create(config, model_storage, resource, execution_context)
        language = component.provide().model
        for pipe in config["disabled_pipes"]:  # Rasa fills in the defaults
            if pipe in language.pipe_names:
                language.disable_pipe(pipe)
        return component
