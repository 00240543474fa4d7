"""The learned sign reader: one logistic regression per label over a clause's words.

It hears paraphrase the catalogue has no phrasing for. Features come from the parse the detector
makes anyway (lemmas, and which words a negation governs: "never check" is not "check"), plus
character n-grams that survive typos and text-speak. Trained by scripts/train_signs.py into
models/signs/ (never committed); actions/signs/model.yml holds its settings.
"""

import hashlib
import json
from collections import Counter
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


def _is_negator(token: Token) -> bool:
    return token.dep_ == "neg" or token.lower_ in NEGATORS


def word_features(span: Span) -> str:
    """The unit as lemmas, each marked "not_" when a negation inside the unit governs it or the
    word it hangs off (for the word n-grams: "i never not_check not_his not_phone")."""
    negated = {t.head.i for t in span if _is_negator(t) and span.start <= t.head.i < span.end}
    words = []
    for token in span:
        if token.is_punct or token.is_space:
            continue
        lemma = token.lemma_.lower() if token.pos_ != "PRON" else token.lower_
        marked = token.i in negated or (token.head.i in negated and not _is_negator(token))
        words.append(("not_" if marked else "") + lemma)
    return " ".join(words)


def char_features(span: Span) -> str:
    return " ".join(token.lower_ for token in span if not token.is_space)


def gram_hash(gram: str) -> int:
    """A stable 64-bit key for an n-gram (Python's own hash changes between processes)."""
    return int.from_bytes(hashlib.blake2b(gram.encode("utf-8"), digest_size=8).digest(), "little")


@dataclass
class GramTable:
    """One vectoriser's n-grams as sorted 64-bit keys, with each gram's idf and weight row in the
    same order: a few MB, where sklearn's vocabulary dict of strings took tens."""

    keys: np.ndarray      # uint64, sorted
    idf: np.ndarray       # float32, per key
    weights: np.ndarray   # float32, keys x labels

    @classmethod
    def build(cls, vocabulary: Dict[str, int], idf: np.ndarray, weights: np.ndarray) -> "GramTable":
        grams = list(vocabulary)
        keys = np.fromiter((gram_hash(gram) for gram in grams), dtype=np.uint64, count=len(grams))
        columns = np.fromiter((vocabulary[gram] for gram in grams), dtype=np.int64, count=len(grams))
        order = np.argsort(keys)
        if len(np.unique(keys)) != len(keys):
            raise ValueError("two n-grams share a 64-bit key")
        return cls(keys[order], idf[columns[order]].astype(np.float32), weights[columns[order]])

    def logits(self, grams: List[str]) -> Optional[np.ndarray]:
        """The tf-idf vector of these grams (sublinear tf, L2-normed) times the weights."""
        counts = Counter(gram_hash(gram) for gram in grams)
        if not counts:
            return None
        wanted = np.fromiter(counts, dtype=np.uint64, count=len(counts))
        places = np.minimum(np.searchsorted(self.keys, wanted), len(self.keys) - 1)
        known = self.keys[places] == wanted
        if not known.any():
            return None
        tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))[known]
        values = (1.0 + np.log(tf)) * self.idf[places[known]]
        values /= np.linalg.norm(values)
        return values.astype(np.float32) @ self.weights[places[known]]


@dataclass
class SignModel:
    """Vectorisers, one classifier per label, and the thresholds calibrated on the dev set."""

    labels: List[str]
    config: Dict
    words: TfidfVectorizer = field(init=False)
    chars: TfidfVectorizer = field(init=False)
    classifier: Optional[OneVsRestClassifier] = field(init=False)
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
        self._compile()
        return self

    def _compile(self) -> None:
        """Fold vectorisers and classifiers into two gram tables and a bias: scoring a message
        then costs a fraction of a millisecond instead of sklearn's few (sparse matrices per call)."""
        columns, biases = [], []
        width = len(self.words.vocabulary_) + len(self.chars.vocabulary_)
        for estimator in self.classifier.estimators_:
            if hasattr(estimator, "coef_"):
                columns.append(estimator.coef_.ravel())
                biases.append(float(estimator.intercept_[0]))
            else:  # a label with no (or only) positive examples: sklearn's constant predictor
                columns.append(np.zeros(width))
                biases.append(30.0 if estimator.y_ else -30.0)
        weights = np.vstack(columns).T.astype(np.float32)
        self.bias = np.array(biases, dtype=np.float32)
        offset = len(self.words.vocabulary_)
        self.tables = (
            GramTable.build(self.words.vocabulary_, self.words.idf_, weights[:offset]),
            GramTable.build(self.chars.vocabulary_, self.chars.idf_, weights[offset:]),
        )
        self.analysers = (self.words.build_analyzer(), self.chars.build_analyzer())

    def scores(self, spans: Sequence[Span]) -> np.ndarray:
        """Probability of every label (columns: self.labels) for each unit (rows); the same
        figures as sklearn's predict_proba on the tf-idf features."""
        rows = np.zeros((len(spans), len(self.labels)), dtype=np.float32)
        for row, span in enumerate(spans):
            logits = self.bias.copy()
            for table, analyse, text in zip(self.tables, self.analysers, (word_features(span), char_features(span))):
                part = table.logits(analyse(text))
                if part is not None:
                    logits += part
            rows[row] = 1.0 / (1.0 + np.exp(-logits))
        return rows

    def sklearn_scores(self, spans: Sequence[Span]) -> np.ndarray:
        """sklearn's own figures, to check the compiled ones against (tests; before `save`)."""
        return self.classifier.predict_proba(self._matrix(spans))

    def _strip(self) -> None:
        """Drop what only fitting and sklearn_scores need: the classifier's float64 weights and
        the vectorisers' vocabularies (the gram tables hold both), most of the model's memory."""
        self.classifier = None
        for vectoriser in (self.words, self.chars):
            vectoriser.vocabulary_ = {}
            del vectoriser._tfidf

    def threshold(self, label: str) -> float:
        return self.thresholds.get(label, float(self.config["thresholds"]["default"]))

    def save(self, folder: Path = MODEL_DIR, meta: Optional[Dict] = None) -> None:
        """Stripped to what scoring needs, then written (the in-memory model is stripped too)."""
        self._strip()
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
