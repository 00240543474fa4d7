"""Map an entity to its synonym's value also when the classifier's span is a little too wide.

Rasa's EntitySynonymMapper maps only exact spans: "weekend alone" becomes the topic `alone_time`,
but when DIET marks "ask for a weekend alone" the value stays that phrase, no topic is recognised
and the person gets the topic menu instead of an answer. This mapper first does what Rasa's does,
then gives an unmapped entity the value of the longest known synonym found inside its span, as
whole words. The synonyms are the training data's own (data/nlu), so nothing is configured twice.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.extractors.entity_synonyms import EntitySynonymMapper


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class SpanSynonymMapper(EntitySynonymMapper):
    """EntitySynonymMapper that also finds a synonym inside an over-wide entity span."""

    def replace_synonyms(self, entities: List[Dict[Text, Any]]) -> None:
        super().replace_synonyms(entities)
        known_values = set(self.synonyms.values())
        for entity in entities:
            value = str(entity["value"])
            if value in known_values:
                continue
            inner = self.synonym_within(value)
            if inner is not None:
                entity["value"] = inner
                self.add_processor_name(entity)

    def synonym_within(self, span: Text) -> Optional[Text]:
        """The value of the longest synonym that appears in `span` as whole words, if any."""
        lowered = span.lower()
        found = [
            synonym
            for synonym in self.synonyms
            if len(synonym) < len(lowered) and re.search(rf"(?<!\w){re.escape(synonym)}(?!\w)", lowered)
        ]
        return self.synonyms[max(found, key=len)] if found else None
