"""A plain text classifier the project's models are measured against: TF-IDF n-grams and a logistic regression.

It knows nothing of the project (no romanising, no danger words, no cues): `make nlu-report` and `make triage-report`
print it beside the real models, trained and tested on the same data, so a figure means something.
"""

from __future__ import annotations

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

WORD_NGRAMS = (1, 2)
# Character n-grams within word boundaries: misspellings (pasport, sowdi) and word endings still share features.
CHAR_NGRAMS = (2, 5)


def tfidf_logistic_regression(
    char_ngrams: tuple[int, int] | None = CHAR_NGRAMS, inverse_regularisation: float = 1.0
) -> Pipeline:
    """An unfitted TF-IDF (words and word pairs, and character n-grams unless None) + logistic regression pipeline."""
    parts = [("words", TfidfVectorizer(ngram_range=WORD_NGRAMS, sublinear_tf=True))]
    if char_ngrams:
        parts.append(("characters", TfidfVectorizer(analyzer="char_wb", ngram_range=char_ngrams, sublinear_tf=True)))
    classifier = LogisticRegression(C=inverse_regularisation, max_iter=2000, class_weight="balanced")
    return Pipeline([("features", FeatureUnion(parts)), ("classifier", classifier)])
