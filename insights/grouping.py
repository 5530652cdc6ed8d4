"""Groups the texts of unanswered questions by similarity, the most frequent group first.

TF-IDF over words (English stop-words left out, so "can I drive with dystonia" and "can you
drive if you have dystonia" meet on "drive" and "dystonia"), cosine similarity, and greedy
"leader" grouping: the most frequent text not yet grouped starts a group and takes every
ungrouped text at least `threshold` similar to it. Unlike agglomerative clustering this needs
no n-by-n distance matrix, so thousands of distinct texts group in well under a second, and it
is deterministic.
"""

from collections import Counter
from dataclasses import dataclass
from typing import Dict, List, Mapping

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

DEFAULT_THRESHOLD = 0.5


@dataclass
class Group:
    """Similar texts; `texts` is most frequent first, the first one names the group."""

    texts: List[Dict[str, object]]  # {"text": ..., "count": ...}
    count: int

    @property
    def label(self) -> str:
        return str(self.texts[0]["text"])


def _normalise(text: str) -> str:
    return " ".join(text.lower().split())


def group_texts(counts: Mapping[str, int], threshold: float = DEFAULT_THRESHOLD) -> List[Group]:
    """Groups `counts` ({text: times asked}); texts differing only in case or spaces are one."""
    merged: Counter = Counter()
    shown: Dict[str, str] = {}
    for text, count in sorted(counts.items(), key=lambda item: -item[1]):
        key = _normalise(text)
        if not key:
            continue
        merged[key] += count
        shown.setdefault(key, text.strip())
    keys = sorted(merged, key=lambda k: (-merged[k], k))
    if not keys:
        return []
    try:
        vectors = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(keys)
    except ValueError:  # only stop-words or punctuation: nothing to compare
        vectors = None
    grouped = np.zeros(len(keys), dtype=bool)
    groups: List[Group] = []
    for leader in range(len(keys)):
        if grouped[leader]:
            continue
        if vectors is not None and vectors[leader].nnz:
            similarity = (vectors @ vectors[leader].T).toarray().ravel()
            members = np.flatnonzero((similarity >= threshold) & ~grouped)
        else:
            members = np.array([leader])
        members = np.union1d(members, [leader])
        grouped[members] = True
        texts = [{"text": shown[keys[i]], "count": merged[keys[i]]} for i in sorted(members)]
        groups.append(Group(texts=texts, count=sum(merged[keys[i]] for i in members)))
    groups.sort(key=lambda g: (-g.count, g.label))
    return groups
