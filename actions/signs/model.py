"""The learned sign reader: one logistic regression per label over a clause's words.

It hears paraphrase the catalogue has no phrasing for. Features come from the parse the detector
makes anyway (lemmas, and which words a negation governs: "never check" is not "check"), plus
character n-grams that survive typos and text-speak. Trained by scripts/train_signs.py into
models/signs/ (never committed); actions/signs/model.yml holds its settings.
"""

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import joblib
import numpy as np
import yaml
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from spacy.tokens import Span, Token

REPO = Path(__file__).resolve().parents[2]
CONFIG_PATH = Path(__file__).with_name("model.yml")
MODEL_DIR = REPO / "models" / "signs"
NEGATORS = frozenset({"not", "never", "n't", "nt", "no", "nobody", "nothing", "none", "hardly", "rarely"})


def load_config(path: Path = CONFIG_PATH) -> Dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _negated(token: Token, span: Span) -> bool:
    """Whether a negation inside the unit governs this word or the word it hangs off."""
    for word in (token, token.head):
        if not (span.start <= word.i < span.end):
            continue
        if any(child.dep_ == "neg" or child.lower_ in NEGATORS for child in word.children if child is not token):
            return True
    return False


def word_features(span: Span) -> str:
    """The unit as lemmas, each marked "not_" when a negation governs it (for the word n-grams)."""
    words = []
    for token in span:
        if token.is_punct or token.is_space:
            continue
        lemma = token.lemma_.lower() if token.pos_ != "PRON" else token.lower_
        words.append(("not_" if _negated(token, span) else "") + lemma)
    return " ".join(words)


def char_features(span: Span) -> str:
    return " ".join(token.lower_ for token in span if not token.is_space)


@dataclass
class SignModel:
    """Vectorisers, one classifier per label, and the thresholds calibrated on the dev set."""

    labels: List[str]
    config: Dict
    words: TfidfVectorizer = field(init=False)
    chars: TfidfVectorizer = field(init=False)
    classifier: OneVsRestClassifier = field(init=False)
    thresholds: Dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        features, settings = self.config["features"], self.config["classifier"]
        self.words = TfidfVectorizer(
            analyzer="word", token_pattern=r"\S+", lowercase=False,
            ngram_range=tuple(features["word_ngrams"]), min_df=features["min_df"], sublinear_tf=True,
        )
        self.chars = TfidfVectorizer(
            analyzer="char_wb", ngram_range=tuple(features["char_ngrams"]),
            min_df=features["min_df"], sublinear_tf=True,
        )
        self.classifier = OneVsRestClassifier(
            LogisticRegression(C=settings["C"], class_weight=settings["class_weight"], solver="liblinear")
        )

    def _matrix(self, spans: Sequence[Span], fit: bool = False):
        words = [word_features(span) for span in spans]
        chars = [char_features(span) for span in spans]
        if fit:
            return hstack([self.words.fit_transform(words), self.chars.fit_transform(chars)]).tocsr()
        return hstack([self.words.transform(words), self.chars.transform(chars)]).tocsr()

    def fit(self, spans: Sequence[Span], targets: Sequence[frozenset]) -> "SignModel":
        matrix = self._matrix(spans, fit=True)
        y = np.array([[label in target for label in self.labels] for target in targets], dtype=int)
        self.classifier.fit(matrix, y)
        return self

    def scores(self, spans: Sequence[Span]) -> np.ndarray:
        """Probability of every label (columns: self.labels) for each unit (rows)."""
        if not spans:
            return np.zeros((0, len(self.labels)))
        return self.classifier.predict_proba(self._matrix(spans))

    def threshold(self, label: str) -> float:
        return self.thresholds.get(label, float(self.config["thresholds"]["default"]))

    def save(self, folder: Path = MODEL_DIR, meta: Optional[Dict] = None) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        joblib.dump(self, folder / "model.joblib")
        (folder / "meta.json").write_text(json.dumps(meta or {}, indent=2) + "\n", encoding="utf-8")


def load_model(folder: Path = MODEL_DIR) -> Optional[SignModel]:
    """The trained model, or None when `make` has not trained it (the catalogue then works alone)."""
    path = folder / "model.joblib"
    return joblib.load(path) if path.exists() else None


@lru_cache(maxsize=1)
def model() -> Optional[SignModel]:
    return load_model()
