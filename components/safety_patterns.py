"""Red-flag phrases that must always reach the safety replies (../shared/source/safety.md).

The intent classifier learns these intents too, but a statistical guess alone is not enough
for them: "my neck is twisting and I can't breathe" looks like a symptoms question to a
classifier. These patterns are deliberately narrow; when one matches, it wins.
"""

import re
import unicodedata
from typing import Optional, Pattern, Sequence, Text, Tuple

_NOT = r"(?:can'?t|cannot|can not|unable to|couldn'?t|struggling to|trouble|difficulty|hard to|problems?)"

EMERGENCY = (
    # Breathing, throat and swallowing: laryngeal or pharyngeal dystonia can block the airway.
    rf"\b{_NOT} (?:\w+ ){{0,2}}(?:breath(?:e|ing)?|swallow(?:ing)?)\b",
    r"\b(?:not|stopped|isn'?t|is not|struggling for) breathing\b",
    r"\bshort(?:ness)? of breath\b",
    r"\bgasping\b",
    r"\bchoking\b",
    r"\bthroat\b.{0,25}\b(?:clos(?:e|es|ed|ing)|tight\w*|swell\w*|block\w*|lock\w*|squeez\w*)",
    r"\b(?:tight\w*|clos\w*|swell\w*) (?:in |up )?(?:my |his |her |their |the )?throat\b",
    # Status dystonicus.
    r"\bdystonic storm\b",
    r"\bstatus dystonicus\b",
    r"\b(?:spreading|worsening|getting worse) (?:really |very )?(?:fast|quickly|rapidly)\b",
    r"\brapidly (?:spreading|worsening|getting worse)\b",
    # Acute dystonic reaction to a new medicine.
    r"\b(?:metoclopramide|prochlorperazine|haloperidol|antipsychotics?)\b.{0,80}\b(?:spasm\w*|lock\w*|stuck|twist\w*|rolled|rolling|pull\w*|jerk\w*)",
    r"\b(?:spasm\w*|lock\w*|stuck|twist\w*|rolled|rolling|pull\w*|jerk\w*)\b.{0,80}\b(?:metoclopramide|prochlorperazine|haloperidol|antipsychotics?)\b",
)

SELF_HARM = (
    r"\bkill(?:ing)? (?:my ?self|me)\b",
    r"\bsuicid\w*",
    r"\bend (?:my life|it all)\b",
    r"\btake my (?:own )?life\b",
    r"\b(?:want|wanna|going) to die\b",
    r"\bwanna die\b",
    r"\bdon'?t want to (?:live|be alive|be here)\b",
    r"\bno (?:reason|point) (?:to|in) (?:live|living|going on)\b",
    r"\bbetter off dead\b",
    r"\bself[- ]?harm\w*",
    r"\b(?:hurt|harm|cut)\w* my ?self\b",
    r"\bcan'?t go on\b",
)

MEDICATION_ADVICE = (
    r"\bhow (?:much|many) (?:\w+ ){0,3}(?:cbd|thc|oil|cannabis|weed|drops|mg|milligrams|gummies|puffs|pills|tablets)\b",
    r"\b(?:what|which|right|correct|best|safe|max(?:imum)?|starting) (?:\w+ )?(?:dose|dosage)\b(?![- ]response)",
    r"\b(?:dosage|dosing)\b",
    r"\bhow many (?:mg|milligrams)\b",
    r"\bshould i (?:stop|start|quit|increase|decrease|reduce|lower|raise|change|switch|come off|double)\b",
    r"\b(?:can|could|may) i (?:stop|quit|come off|mix|combine)\b",
    r"\b(?:is it (?:ok|okay|safe|fine)|can i|could i) (?:to )?(?:double|increase|up|raise|reduce|lower|halve|skip|stop|quit)\b",
    r"\b(?:take|use|mix|combine) (?:cbd|cannabis|weed|thc)\b.{0,40}\bwith (?:my |his |her )?(?:\w+ )?(?:meds|medicines?|medications?|pills|tablets|baclofen|botox)\b",
)

# Checked in this order: an emergency outranks everything else.
SAFETY_INTENTS: Sequence[Tuple[Text, Sequence[Text]]] = (
    ("emergency", EMERGENCY),
    ("self_harm", SELF_HARM),
    ("medication_advice", MEDICATION_ADVICE),
)

_COMPILED: Sequence[Tuple[Text, Sequence[Pattern]]] = tuple(
    (intent, tuple(re.compile(p) for p in patterns)) for intent, patterns in SAFETY_INTENTS
)

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def normalise(text: Text) -> Text:
    """Lower case, plain apostrophes, no zero-width characters, single spaces."""
    text = unicodedata.normalize("NFKC", text).translate(_ZERO_WIDTH)
    text = text.replace("\u2019", "'").replace("\u2018", "'").lower()
    return " ".join(text.split())


def safety_intent(text: Text) -> Optional[Text]:
    """The safety intent a message must get whatever the classifier says, or None."""
    normalised = normalise(text or "")
    for intent, patterns in _COMPILED:
        if any(pattern.search(normalised) for pattern in patterns):
            return intent
    return None
