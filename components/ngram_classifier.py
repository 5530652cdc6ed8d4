"""The word and character n-gram classifier that two components train beside DIET.

Linear, on TF-IDF features: a different kind of model from DIET, so where they disagree the
message is probably ambiguous; character n-grams keep it robust to typos.
"""

from pathlib import Path
from typing import List, Optional, Text, Tuple

import numpy as np
import skops.io as sio
from rasa.engine.storage.resource import Resource
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.utils.extmath import softmax

from components.configured import StoredComponent


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


# Each vectorizer with its rows of the model's weights (coef_.T), and the intercept.
WeightBlocks = Tuple[List[Tuple[TfidfVectorizer, np.ndarray]], np.ndarray]


def weight_blocks(classifier: Pipeline) -> Optional[WeightBlocks]:
    """The classifier's weights split by the vectorizer whose features they weigh; None for a
    two-label model, which scikit-learn scores differently (one column, not a softmax)."""
    features, model = classifier.named_steps["features"], classifier.named_steps["model"]
    if len(model.classes_) <= 2:
        return None
    weights, blocks, start = model.coef_.T, [], 0
    for _, vectorizer in features.transformer_list:
        width = len(vectorizer.vocabulary_)
        blocks.append((vectorizer, weights[start : start + width]))
        start += width
    return blocks, model.intercept_


class NgramClassifierComponent(StoredComponent):
    """A component that keeps an n-gram classifier in the model: `keep` after training, and
    `load` reads it back."""

    model_file: Text  # the file name in the model, set by each subclass
    _classifier: Optional[Pipeline] = None  # set by keep() or load()
    _blocks: Optional[WeightBlocks] = None  # its weights by vectorizer, set with it

    def _use(self, classifier: Pipeline) -> None:
        self._classifier, self._blocks = classifier, weight_blocks(classifier)

    def probabilities(self, texts: List[Text]) -> np.ndarray:
        """`predict_proba` of the classifier, one row per text, each vectorizer's features
        weighed on their own: scikit-learn's FeatureUnion stacks them into one sparse matrix
        first, which was 5 % of the Rasa server's time (docs/profile.svg)."""
        assert self._classifier is not None
        if self._blocks is None:
            return self._classifier.predict_proba(texts)
        blocks, intercept = self._blocks
        decision = intercept + sum(vectorizer.transform(texts) @ w for vectorizer, w in blocks)
        return softmax(np.asarray(decision, dtype=float))

    def best(self, text: Text) -> Tuple[Text, float]:
        """The label the classifier gives `text` (its `predict`), and its probability."""
        assert self._classifier is not None
        probabilities = self.probabilities([text])[0]
        best = int(probabilities.argmax())
        return str(self._classifier.classes_[best]), float(probabilities[best])

    def first_choice(self, text: Text) -> Text:
        return self.best(text)[0]

    def keep(self, classifier: Pipeline) -> Resource:
        self._use(classifier)
        with self._model_storage.write_to(self._resource) as directory:
            sio.dump(classifier, directory / self.model_file)
        return self._resource

    def read(self, directory: Path) -> None:
        path = directory / self.model_file
        # Only the scikit-learn and numpy types this component writes itself.
        self._use(sio.load(path, trusted=sio.get_untrusted_types(file=path)))
