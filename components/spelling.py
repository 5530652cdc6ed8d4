"""An NLU component that mends a misspelt word before the classifiers read the message.

Patients type fast, on phones, often in pain: "wat causes dystonai??", "does stres make it
worse", "is botox adictive". A word the training data has never seen tells DIET and the
vocabulary checks nothing, and one misspelt key word can turn a plain question into "I'm not
sure": DIET answered "wat causes dystonia??" but not "wat causes dystonai??". This component,
which runs first, replaces a word that is not English and that the training data never uses
with the word it uses that is one edit away (a letter left out, added, changed, or two letters
swapped), the most frequent if there are several. A word the training data uses only once (a
typo in an example) is mended to one it uses far more often. Only words of five letters or
more are touched, and only mended to words the training data uses at least twice, so short
words ("wont", "cant") and names stay as typed. Forum shorthand for botulinum toxin ("btx")
becomes "botox".

Whether a word is English comes from the word list that ships inside the pyspellchecker
package (pinned, nothing downloaded): "swelling", "willing" and "fewer" are real words, and must
never become "selling", "killing" or "fever", which the training data happens to know better.
Nor is "wasnt" mended: with an apostrophe it is English.

Why this generalises: the vocabulary is learned from the training data, not listed here, so
any misspelling of any word the assistant has been taught is mended the same way.

The training data itself is left as it is (its own typos teach DIET too), so DIET is trained
exactly as before. What was mended is kept with the message (`spelling`), and so in the tracker
store; the conversation's events keep the text as typed. The crisis patterns read both the
mended and the typed text, so a mend can only add a crisis they find, never hide one.
"""

import functools
import re
import string
from collections import Counter
from typing import Any, Dict, FrozenSet, Iterator, List, Optional, Text, Tuple

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from spellchecker import SpellChecker

from components.configured import JsonStoredComponent

SPELLING_KEY = "spelling"
# The message as typed, for the checks that must also see it (components/safety_check.py).
AS_TYPED_KEY = "text_as_typed"
# Forum shorthand for a word the training data uses: botulinum toxin is "BTX" or "BoNT".
_SHORTHAND = {"btx": "botox", "bont": "botox"}
_WORD = re.compile(r"[a-z]+")
# A whole word of letters only: not part of "dystonia's", "co-codamol" or "5mg".
_CANDIDATE = re.compile(r"(?<![\w'-])[A-Za-z]+(?![\w'-])")


@functools.lru_cache(maxsize=1)
def english_words() -> FrozenSet[Text]:
    """The English words of pyspellchecker's word-frequency list (read once per process)."""
    return frozenset(SpellChecker(language="en", distance=1).word_frequency.keys())


def is_english(word: Text) -> bool:
    """A real word, also when written without its apostrophe ("wasnt", "youre", "thats")."""
    english = english_words()
    return word in english or any(word[:i] + "'" + word[i:] in english for i in range(1, len(word)))


def one_edit_away(word: Text) -> Iterator[Text]:
    """Every string one deletion, swap of neighbours, change or insertion away from `word`."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    for left, right in splits:
        if right:
            yield left + right[1:]
        if len(right) > 1:
            yield left + right[1] + right[0] + right[2:]
        for letter in string.ascii_lowercase:
            if right:
                yield left + letter + right[1:]
            yield left + letter + right


# Registered as a tokenizer so that Rasa runs it, like one, before the featurizers and DIET (it
# is not one: WhitespaceTokenizer still splits the mended text).
@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=True)
class SpellingCheck(JsonStoredComponent):
    state_file = "vocabulary_counts.json"

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            # Shorter words are too often other real words one letter apart ("wont", "want").
            "min_length": 5,
            # A word the training data uses this often may be what was meant; a word it uses
            # less often is mended.
            "min_count": 2,
            # How many times more often than a word seen once its mended form must be used.
            "more_often": 10,
        }

    _counts: Dict[Text, int] = {}

    def train(self, training_data: TrainingData) -> Resource:
        counts: Counter = Counter()
        for example in training_data.training_examples:
            counts.update(_WORD.findall((example.get(TEXT) or "").lower()))
        return self.store({"counts": dict(counts)})

    def restore(self, state: Dict[Text, Any]) -> None:
        self._counts = state["counts"]
        english_words()  # read now, not while the first message waits

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        # DIET learns from the examples as they are written, typos included.
        return training_data

    def mended(self, word: Text) -> Optional[Text]:
        """The word the training data uses that `word` misspells, or None."""
        lowered = word.lower()
        if lowered in _SHORTHAND:
            return _SHORTHAND[lowered]
        seen = self._counts.get(lowered, 0)
        if (
            len(lowered) < self._config["min_length"]
            or seen >= self._config["min_count"]
            or is_english(lowered)
        ):
            return None
        # A word seen once may be a typo in the examples themselves ("dystonai"): mended to a
        # word used far more often.
        at_least = max(self._config["min_count"], seen * self._config["more_often"])
        candidates = {
            candidate
            for candidate in one_edit_away(lowered)
            if self._counts.get(candidate, 0) >= at_least
        }
        return max(sorted(candidates), key=self._counts.__getitem__) if candidates else None

    def mend_text(self, text: Text) -> Tuple[Text, Dict[Text, Text]]:
        """The text with its misspelt words mended, and what was mended into what."""
        mended: Dict[Text, Text] = {}
        for match in _CANDIDATE.finditer(text):
            word = self.mended(match.group(0))
            if word is not None:
                mended[match.group(0)] = word
        return _CANDIDATE.sub(lambda m: mended.get(m.group(0), m.group(0)), text), mended

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text, mended = self.mend_text(message.get(TEXT) or "")
            if mended:
                message.set(AS_TYPED_KEY, message.get(TEXT))
                message.set(TEXT, text)
                message.set(SPELLING_KEY, mended, add_to_output=True)
        return messages
