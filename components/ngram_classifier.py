"""The word and character n-gram classifier that two components train beside DIET.

Linear, on TF-IDF features: a different kind of model from DIET, so where they disagree the
message is probably ambiguous; character n-grams keep it robust to typos.
"""

from typing import List, Text

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline


def fit_ngram_classifier(texts: List[Text], labels: List[Text], balanced: bool) -> Pipeline:
    """A TF-IDF (words 1-2, characters 2-5) logistic regression fitted on `texts`.

    `balanced` weighs rare labels up. The coefficients are stored column-major: scikit-learn
    multiplies the message's sparse features by their transpose, which is then contiguous
    instead of being copied on every call (about 5 ms a message for 37 labels, 1 ms without).
    """
    features = FeatureUnion(
        [
            ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)),
            (
                "characters",
                TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
            ),
        ]
    )
    model = LogisticRegression(
        C=10.0, class_weight="balanced" if balanced else None, max_iter=3000, random_state=42
    )
    classifier = Pipeline([("features", features), ("model", model)]).fit(texts, labels)
    model.coef_ = np.asfortranarray(model.coef_)
    return classifier
