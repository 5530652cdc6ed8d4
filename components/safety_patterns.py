"""Red-flag phrases that must always reach the safety replies (docs/safety.md).

The intent classifier learns these intents too, but a statistical guess alone is not enough
for them: "my neck is twisting and I can't breathe" looks like a symptoms question to a
classifier. These patterns are deliberately narrow; when one matches, it wins. They are one of
three signals: components/safety_check.py adds two learned ones.
"""

import re
import unicodedata
from typing import List, Optional, Pattern, Sequence, Text, Tuple

_NOT = r"(?:can'?t|cannot|can not|unable to|couldn'?t|struggling to|trouble|difficulty|hard to|problems?)"

EMERGENCY = (
    # Breathing, throat and swallowing: laryngeal or pharyngeal dystonia can block the airway.
    rf"\b{_NOT} (?:\w+ ){{0,2}}(?:breath(?:e|ing)?|swallow(?:ing)?|get (?:any |enough )?air|getting (?:any |enough )?air)\b",
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
    r"\b(?:worse|spreading) by the (?:minute|hour)\b",
    # Spasms (or the dystonia itself) with a fever or a racing heart, in lay words too
    # (status dystonicus, safety.md).
    r"\b(?:spasm\w*|jerking|twisting|dystonia)\b.{0,80}\b(?:fever|high temperature|a temperature|(?:racing|pounding|thumping) heart|heart(?:'s| is)? (?:racing|pounding|thumping))\b",
    r"\b(?:fever|high temperature|(?:racing|pounding|thumping) heart|heart(?:'s| is)? (?:racing|pounding|thumping))\b.{0,80}\b(?:spasm\w*|jerking|twisting|dystonia)\b",
    # Any medical emergency happening now, in lay words: a seizure, collapse, unconsciousness,
    # a swelling face or lips (anaphylaxis), chest pain, signs of a stroke.
    r"\b(?:is|are|'s|am|i'?m|keeps?|started) having an? (?:seizure|fit|convulsion|stroke|heart attack|allergic reaction)\b",
    r"\b(?:seizing|convulsing|fitting) (?:right )?(?:now|again|on the floor)\b",
    r"\b(?:unconscious|unresponsive|not responding|can'?t wake (?:him|her|them|my \w+))\b",
    r"\b(?:he|she|they)(?:'s| is| are)? (?:won'?t|will not|isn'?t|not) wak\w* up\b",
    # (Not a head or neck that "collapsed" forward: a posture.)
    r"(?<!head )(?<!neck )(?<!chin )\bcollapsed\b",
    r"\b(?:has|have|just) (?:passed out|blacked out)\b",
    r"\b(?:lips?|tongue|face|mouth) (?:and (?:lips?|tongue|face|mouth) )?(?:is |are )?(?:swell\w*|swollen|puff\w* up)\b",
    r"\b(?:turning|gone|going) blue\b",
    r"\bchest (?:pains?|is (?:tight|crushing))\b",
    r"\b(?:face|mouth) (?:is )?droop\w*\b",
    r"\banaphyla\w*",
    # Acute dystonic reaction to a new medicine.
    r"\b(?:metoclopramide|prochlorperazine|haloperidol|antipsychotics?)\b.{0,80}\b(?:spasm\w*|lock\w*|stuck|twist\w*|rolled|rolling|pull\w*|jerk\w*)",
    r"\b(?:spasm\w*|lock\w*|stuck|twist\w*|rolled|rolling|pull\w*|jerk\w*)\b.{0,80}\b(?:metoclopramide|prochlorperazine|haloperidol|antipsychotics?)\b",
)

# Someone has taken too much of a medicine, on purpose or not.
_MEDICINE = r"(?:pills?|tablets?|meds|medicines?|medications?|capsules?|gummies|doses?|drops|sleeping \w+|painkillers?|\w*pam|baclofen|gabapentin|opioids?|tramadol|codeine|paracetamol|ibuprofen)"
OVERDOSE = (
    r"\b(?:took|taken|take|had|done) an? overdose\b",
    r"\boverdosed\b",
    r"\b(?:od'd|oded)\b",
    r"\b(?:took|taken|had|swallowed)\b.{0,30}\bmore than (?:the |my |i was |what'?s |i'?m )?(?:prescribed|recommended|usual|allowed|supposed)\b",
    rf"\b(?:took|taken|swallowed|downed|necked|had)\b (?:\w+ ){{0,3}}(?:all|whole|entire|handful|bottle|packet|box|lot|load|bunch|too many|too much|double|triple)\b.{{0,40}}\b{_MEDICINE}",
    r"\b(?:took|taken|swallowed) (?:way |far |a lot )?too (?:many|much)\b",
)

SELF_HARM = (
    r"\bkill(?:ing)? my ?self\b",
    r"\bsuicid\w*",
    r"\bend (?:my life|it all)\b",
    # "why I'm ending it tonight"
    r"\b(?:i'?m|im|i am) ending (?:it|it all|things|my life)\b",
    r"\btake my (?:own )?life\b",
    r"\b(?:want|wanna|going) to die\b",
    r"\bwanna die\b",
    r"\bdon'?t want to (?:live|be alive|be here)\b",
    r"\bno (?:reason|point) (?:to|in) (?:live|living|going on)\b",
    r"\bbetter off dead\b",
    r"\bself[- ]?harm\w*",
    r"\b(?:hurt|harm|cut)\w* my ?self\b",
    r"\bcan'?t go on\b",
    # Despair about going on at all, also when it hangs on a treatment working ("if it doesn't
    # work I can't keep going").
    r"\b(?:can'?t|cannot|could ?n'?t|don'?t know if i can|not sure i can|don'?t think i can) (?:keep going|carry on|go on)\b",
    r"\b(?:i'?m|i am) (?:so |just |really )?done with (?:life|living|everything|it all|all of it)\b",
    # "If this doesn't work I'm done": despair that hangs on a treatment, unless it is only
    # done with that treatment ("I'm done with injections").
    r"\bif\b.{0,60}\b(?:doesn'?t|does not|don'?t|won'?t|isn'?t|fails?)\b.{0,40}\b(?:i'?m|i am|i'?ll be) (?:\w+ )?(?:done|finished)\b(?! with (?!life|living|everything|it all))",
    r"\b(?:really|truly|completely|totally) done\b(?! with (?!life|living|everything|it all))(?!,? thanks?)",
    r"\bcan'?t (?:do|take) (?:this|it)(?: \w+)? any ?(?:more|longer)\b",
    r"\b(?:wish|wishing|hope|hoping|want|wanting|pray|praying)\b.{0,40}\b(?:not|never|don'?t|didn'?t|wouldn'?t|won'?t) (?:to )?wake up\b",
    r"\bwant (?:it|this|everything) (?:all )?to (?:stop|end) (?:for good|forever)\b",
    r"\bwant (?:it|this|everything) all to (?:stop|end)\b",
    r"\b(?:thinking about|think about|going to|want to|wanna|ready to) end (?:it|things)\b",
    r"\b(?:a )?burden (?:to|on) (?:everyone|everybody|my family|my \w+|them|him|her)\b",
    r"\bbetter off without me\b",
    r"\bno(?:body| one) would (?:miss|notice|care)\b",
    r"\bwhat'?s the point (?:of|in) (?:living|going on|carrying on|anything|life|being alive)\b",
    rf"\b(?:saving|stockpiling|hoarding|collecting|storing|keeping)(?: up)? (?:\w+ ){{0,3}}{_MEDICINE}",
    r"\b(?:goodbye|suicide) (?:letters?|notes?)\b",
    r"\bto (?:not|never) wake (?:up|again)\b",
    r"\b(?:how|when) (?:and (?:how|when) )?(?:i'?m|i am|i'?ll|i will) (?:going to |gonna )?do it\b",
    r"\btake (?:all|everything)\b.{0,30}\b(?:pills|tablets|meds|medicines|cupboard|cabinet)\b",
    r"\b(?:lethal|fatal) (?:dose|amount)\b",
    r"\bhow (?:many|much)\b.{0,50}\b(?:to die|to kill|be lethal|be fatal|to end it)\b",
)

# Attempts to talk the assistant out of its rules.
RULES_OVERRIDE = (
    # "ignore all your previous instructions"
    r"\b(?:ignore|disregard|override|bypass) (?:(?:all|of|your|the|any|these|those|my) ){0,3}(?:previous |prior |earlier |own |above )?(?:rules|instructions|guidelines|restrictions|safety|disclaimers?|programming|prompt|policy|policies)\b",
    r"\b(?:pretend|act|roleplay|role-play|role play|imagine)\b (?:\w+ ){0,3}(?:doctor|gp|neurologist|physician|pharmacist|nurse|budtender|dealer|prescriber)\b",
    # "Let's role play. You are Dr Smith, a neurologist ..."
    r"\b(?:let'?s|lets|can we|can you|could you|will you|i want you to|we'?ll|we will) (?:do (?:a |some )?|play (?:a )?)?(?:role[- ]?play|pretend)\b.{0,80}\b(?:doctor|dr|gp|neurologist|physician|pharmacist|nurse|budtender|dealer|prescriber)\b",
    r"\byou(?:'re| are) (?:now |a |an |my )+(?:budtender|doctor|dealer|neurologist|pharmacist|prescriber)\b",
    r"\byou(?:'re| are) (?:now )?(?:dr\.?|doctor) (?!(?:about|for|on|in|at|to|and|or|now|too)\b)[a-z]+\b",
    r"\b(?:jailbreak\w*|developer mode|dan mode|do anything now)\b",
    r"\b(?:forget|drop|skip) (?:the |your |any |all )?(?:rules|disclaimers?|warnings?|safety (?:rules|stuff))\b",
    # (Not "it started with no warning": only the assistant's own warnings.)
    r"\b(?:without|no) (?:the |your |any |all )?(?:rules|disclaimers?|safety (?:rules|stuff)|warnings? (?:please|pls|this time|for once))\b",
)

MEDICATION_ADVICE = (
    # (Not "how much CBD was used in the study": that is a question about the research.)
    # (Nor "how many proper trials of cbd are there": research, not a dose.)
    r"\bhow (?:much|many) (?!(?:\w+ ){0,2}(?:trials?|studies|studys|patients|people|research|papers?|evidence)\b)(?:\w+ ){0,3}(?:cbd|thc|oil|cannabis|weed|drops|mg|milligrams|ml|mls|millilit\w+|gummies|puffs|pills|tablets)\b(?! (?:was|were|did|they|in the))",
    # "so should she try it?": whether to take it is the prescriber's call.
    r"\bshould (?:i|he|she|we|they|my \w+) (?:try|take|use|give \w+) (?:it|this|that|them|some|cbd|cannabis|thc|the oil|oil|gummies)\b",
    r"\b(?:starting|start|right|safe|correct|usual|normal) (?:amount|strength|dose)\b",
    r"\bwhat strength\b",
    r"\bhow (?:often|many times) (?:a day |per day |a week )?(?:should|do|can|must) (?:i|he|she|we|they) (?:take|use|give|have)\b",
    # "how much should I use?", naming no medicine: a dose all the same.
    r"\bhow (?:much|many) (?:should|do|can|could|must) (?:i|he|she|we|they|my \w+) (?:take|use|give|have|smoke|vape|try)\b(?! (?:away )?from)",
    r"\b(?:what|which|right|correct|best|safe|max(?:imum)?|starting) (?:\w+ )?(?:dose|dosage)\b(?![- ]response)",
    r"\b(?:dosage|dosing)\b",
    r"\bhow many (?:mg|milligrams)\b",
    r"\bshould i (?:stop|start|quit|increase|decrease|reduce|lower|raise|change|switch|come off|double)\b",
    r"\b(?:can|could|may) i (?:stop|quit|come off|mix|combine)\b",
    r"\b(?:is it (?:ok|okay|safe|fine)|can i|could i) (?:to )?(?:double|increase|up|raise|reduce|lower|halve|skip|stop|quit)\b",
    r"\b(?:take|use|mix|combine) (?:cbd|cannabis|weed|thc)\b.{0,40}\bwith (?:my |his |her )?(?:\w+ )?(?:meds|medicines?|medications?|pills|tablets|baclofen|botox)\b",
)

# Whether someone has dystonia, which only a neurologist can tell: "is this dystonia??" after a
# description of symptoms, "do I have it?" after the symptoms answer. (Not "is that a usual
# dystonia symptom?": a question about the symptoms.)
_PERSON = r"(?:i|he|she|they|we|you think i|my (?:\w+ ){0,2}?\w+)"
DIAGNOSIS = (
    rf"\b(?:do|does|could|might|can|would) {_PERSON} (?:have|has|be having|have got|has got) "
    r"(?:it|this|that|dystonia|a dystonia|\w+ dystonia)\b",
    r"\b(?:is|could|might|would) (?:this|that|it|mine|these|those|what (?:i|he|she|they) (?:have|has))"
    r" (?:be |really |actually |just )?(?:a )?(?:\w+ )?dystonia\b"
    r"(?! (?:symptom|sign|thing|related|type|kind))",
    r"\b(?:have|has) (?:i|he|she|they|my \w+) got (?:it|dystonia|\w+ dystonia)\b",
    # "so I've got it then?", a question in the form of a statement.
    # (Not "is the flu jab ok if I've got dystonia?".)
    r"(?<!\bif )(?<!\bwhen )(?<!\bsince )(?<!\bas )(?<!\bbecause )"
    r"\b(?:i'?ve|i have|(?:he|she|it)(?:'s| has)|they'?ve|they have|my \w+(?:'s| has)) got "
    r"(?:it|this|that|dystonia|\w+ dystonia)(?: then| too| as well| after all)?\s*\?",
    # "how would I know if mine is from Parkinson's?"
    r"\bhow (?:would|do|can|could|will|should) (?:i|we|you|they) (?:know|tell|find out|be sure)\b"
    r".{0,15}\b(?:if|whether) (?:mine|my \w+|it'?s|this is|(?:i have|i'?ve got|(?:he|she) has) "
    r"(?:it|this|dystonia|\w+ dystonia))\b",
    # What else it could be: a diagnosis all the same.
    r"\bwhat else (?:could|might|can|would|may) (?:it|this|that|they|these|my [\w' ]{1,30}?) be\b",
    r"\b(?:could|might|can|may) (?:it|this|that|they|these|my [\w' ]{1,30}?) be something else\b",
    # "my eyes keep blinking loads, is that it?": a symptom of one's own, then "is that it?".
    r"\bmy (?:\w+ ){0,3}(?:keeps?|won'?t stop|is|are|has been|have been)\b.{0,80}\bis (?:that|this) it\b",
)

# Checked in this order: an emergency outranks everything else.
SAFETY_INTENTS: Sequence[Tuple[Text, Sequence[Text]]] = (
    ("emergency", EMERGENCY),
    ("overdose", OVERDOSE),
    ("self_harm", SELF_HARM),
    ("rules_override", RULES_OVERRIDE),
    ("medication_advice", MEDICATION_ADVICE),
    ("diagnosis", DIAGNOSIS),
)

# The intents that mean someone may be in danger now.
CRISIS_INTENTS = frozenset({"emergency", "overdose", "self_harm"})

_COMPILED: Sequence[Tuple[Text, Sequence[Pattern]]] = tuple(
    (intent, tuple(re.compile(p) for p in patterns)) for intent, patterns in SAFETY_INTENTS
)

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def normalise(text: Text) -> Text:
    """Lower case, plain apostrophes, no zero-width characters, single spaces."""
    text = unicodedata.normalize("NFKC", text).translate(_ZERO_WIDTH)
    text = text.replace("\u2019", "'").replace("\u2018", "'").lower()
    return " ".join(text.split())


def safety_intents(text: Text) -> List[Text]:
    """Every safety intent whose patterns the message matches, most urgent first."""
    normalised = normalise(text or "")
    return [
        intent
        for intent, patterns in _COMPILED
        if any(pattern.search(normalised) for pattern in patterns)
    ]


def safety_intent(text: Text) -> Optional[Text]:
    """The most urgent safety intent the message's patterns match, or None."""
    matched = safety_intents(text)
    return matched[0] if matched else None
