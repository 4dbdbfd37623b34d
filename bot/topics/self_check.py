"""The five-question red-flag self-check: parse answers in any language form and assess the risk."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.language.forms import latin_digits

YES, NO, UNSURE = "yes", "no", "unsure"
# Questions in the order they are asked, with the answer that is safe.
QUESTIONS = (
    ("fee_above_limit", NO),
    ("passport_kept", NO),
    ("contract_understood", YES),
    ("work_visa", YES),
    ("agency_licensed", YES),
)

_UNSURE_WORDS = (
    r"3|dont know|don't know|do not know|not sure|unsure|no idea|idk|maybe|jani ?na|janina|jani nah|"
    r"bujhi ?na|bujhtesi na|sure na|জানি ?না|জানিনা|বুঝি ?না|নিশ্চিত না|জানা নাই|জানি নাই"
)
_NO_WORDS = r"2|no|nope|nah|not|never|n|na|nai|nei|ekdom na|না|নাহ|নাই|নেই|জি না|জ্বি না|নো"
_YES_WORDS = (
    r"1|yes|yeah|yep|yess|ya|y|ok|sure|right|correct|ha|haa|hae|hya|hmm|ji|jee|ji ha|thik|thik ache|ache|"
    r"হ্যাঁ|হ্যা|হা|হুম|জি|জ্বি|জি হ্যাঁ|ঠিক|আছে|ইয়েস"
)
# A word list matches only as whole words: "na" answers, "nasir" does not (Bengali vowel signs are not \w).
_END = r"(?:\s|$|[.!,?])"
_ANSWER = {
    UNSURE: re.compile(rf"^(?:{_UNSURE_WORDS}){_END}", re.IGNORECASE),
    NO: re.compile(rf"^(?:{_NO_WORDS}){_END}", re.IGNORECASE),
    YES: re.compile(rf"^(?:{_YES_WORDS}){_END}", re.IGNORECASE),
}


def parse_answer(text: str | None) -> str | None:
    """Read a yes/no/don't-know answer ("1", "ha", "না", "jani na", "2 no") or None when it is not one."""
    if not text:
        return None
    cleaned = latin_digits(text).strip().lower()
    cleaned = re.sub(r"^[\s\"'(]+", "", cleaned)
    for answer in (UNSURE, NO, YES):
        if _ANSWER[answer].match(cleaned):
            return answer
    return None


@dataclass(frozen=True)
class RiskAssessment:
    """The risk level and the questions whose answers were red flags."""

    level: str
    flags: tuple[str, ...]


def assess(answers: dict[str, str]) -> RiskAssessment:
    """Low with no flag, medium with one, high with two or more or a kept passport; unsure counts as a flag."""
    flags = tuple(name for name, safe in QUESTIONS if answers.get(name) != safe)
    if not flags:
        return RiskAssessment("low", flags)
    if len(flags) >= 2 or answers.get("passport_kept") == YES:
        return RiskAssessment("high", flags)
    return RiskAssessment("medium", flags)
