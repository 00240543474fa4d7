"""Answer text we cannot read with a kind "English only, for now" instead of a wild guess.

Why a rule and not the classifier: the intent classifier only knows English, so French or Russian
text lands on whatever intent happens to score highest (a coaching menu for a sad message). This
guard decides deterministically, after the classifiers, and overrides their intent:

* `non_english` when most letters belong to a non-Latin script, or when the words are clearly
  another language (its common function words outnumber English ones; greetings like "hola");
* `nlu_fallback` for text with no readable word at all (one 2,000-letter run) and for unknown
  slash commands ("/foo"), so the person is asked to rephrase. Known payloads such as
  "/start_reflection" are restored afterwards by Rasa's RegexMessageHandler.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

NON_ENGLISH = "non_english"
UNREADABLE = "nlu_fallback"
LONGEST_PLAUSIBLE_WORD = 30

# Unambiguously English words that almost every English sentence has. Words that are also common
# in the other languages below ("a", "in", "me", "no", "is", "he", "do", "so", "die") are left out.
ENGLISH_WORDS = frozenset(
    """the and or but i i'm i've i'd you you're he's she she's we they it it's my your his her our
    their him them us am are was were be been being does did have has had not don't doesn't didn't
    can't won't to of at for with about that this these those what how why when where who which can
    could would should just if from by feel feels felt want wants partner always never know like
    really very much too all get help thanks thank hi hello yes please boyfriend girlfriend husband
    wife friend friends any some more than then there here because anything something nothing
    think thought tell told said say sometimes often""".split()
)

# Common words of French, Spanish, German, Italian, Portuguese and Dutch that are not English words.
FOREIGN_WORDS = frozenset(
    """je tu il elle nous vous ils elles les des du une est et pas mon ma mes ton ta tes ne suis
    avec que qui dans mais très bien oui c'est j'ai sais parle moi toi lui leur cette au aux
    comment pourquoi quand mari femme copain copine sens seul seule toujours jamais veux
    el los las una es está estoy y pero mi mis su por para con muy como cómo yo él ella nosotros
    del lo siento sola novio novia esposo esposa quiero tengo porque cuando también habla nunca
    siempre puedo estar hace
    ich du er sie wir ihr und nicht ist bin mein meine dein das dem ein eine einen mit auf für sehr
    aber oder wie mir mich dich uns zu auch kann immer nie freund freundin mann frau fühle allein
    hört spricht
    io sono gli della che per mio mia sei è molto anche perché sempre mai
    eu não você meu minha com muito estou sou ele ela namorado namorada marido
    ik het een niet jij mijn zijn met maar hoe voel""".split()
)

# Greetings and thanks that make up a whole short message in another language.
FOREIGN_COURTESIES = frozenset(
    """hola bonjour bonsoir salut merci beaucoup gracias muchas buenos buenas días dias noches tardes
    danke schön bitte hallo guten morgen ciao grazie mille obrigado obrigada olá bom dia
    dankjewel bedankt""".split()
)

WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def _is_latin(character: str) -> bool:
    return unicodedata.name(character, "").startswith("LATIN")


def mostly_other_script(text: str) -> bool:
    """True when most letters are Cyrillic, Greek, Arabic, Hebrew, CJK, Devanagari, …"""
    letters = [character for character in text if character.isalpha()]
    other = sum(1 for character in letters if not _is_latin(character))
    return other >= 2 and other * 2 >= len(letters)


def clearly_other_language(words: List[str]) -> bool:
    """True when a Latin-script message is written in one of the common European languages."""
    if not words:
        return False
    foreign = sum(1 for word in words if word in FOREIGN_WORDS)
    courtesies = sum(1 for word in words if word in FOREIGN_COURTESIES)
    english = sum(1 for word in words if word in ENGLISH_WORDS)
    if english == 0 and len(words) <= 3 and courtesies and foreign + courtesies == len(words):
        return True
    return foreign >= 2 and foreign >= 2 * english and foreign * 4 >= len(words)


def verdict(text: str) -> Optional[str]:
    """The intent this guard imposes on `text`, or None to keep the classifier's result."""
    stripped = text.strip()
    if stripped.startswith("/"):
        return UNREADABLE
    if mostly_other_script(stripped):
        return NON_ENGLISH
    words = [word.lower() for word in WORD.findall(stripped)]
    if clearly_other_language(words):
        return NON_ENGLISH
    if words and all(len(word) > LONGEST_PLAUSIBLE_WORD for word in words):
        return UNREADABLE
    return None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class LanguageGuard(GraphComponent):
    """Overrides the classified intent for text in another language or with no readable word."""

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageGuard:
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            intent = verdict(text) if isinstance(text, str) else None
            if intent is None:
                continue
            ranking = [{"name": intent, "confidence": 1.0}]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
            # Entities found in text we cannot read are guesses: keep them out of the slots.
            message.set(ENTITIES, [], add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
