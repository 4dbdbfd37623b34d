"""The lists of casework: case types, the 11 ILO forced-labour indicators, outcomes, and what triage proposes.

Proposed labels (shown until a counsellor saves the case's labels) come from a small mapping:
- the self-check flag passport_kept, or "passport"/"পাসপোর্ট" in the message that opened the case: the type
  document confiscation and the indicator retention of identity documents;
- the self-check flag fee_above_limit: the type fee fraud or debt;
- "salary", "wage", "beton", "বেতন" in the opening message: the type wage theft and the indicator withholding of wages;
- "lock", "locked", "atke", "আটকে" in the opening message: the type confinement and the indicator restriction of
  movement.
"""

from __future__ import annotations

import re

from bot.models import Case

TYPES = {
    "wage_theft": "Wage theft",
    "document_confiscation": "Passport or document confiscation",
    "physical_abuse": "Physical abuse",
    "sexual_abuse": "Sexual abuse",
    "confinement": "Confinement",
    "fee_fraud_or_debt": "Fee fraud or debt",
    "contract_substitution": "Contract substitution",
    "information_only": "Information only",
    "false_alarm": "False alarm",
    "other": "Other",
}
INDICATORS = {
    "abuse_of_vulnerability": "Abuse of vulnerability",
    "deception": "Deception",
    "restriction_of_movement": "Restriction of movement",
    "isolation": "Isolation",
    "physical_sexual_violence": "Physical and sexual violence",
    "intimidation_threats": "Intimidation and threats",
    "retention_of_documents": "Retention of identity documents",
    "withholding_of_wages": "Withholding of wages",
    "debt_bondage": "Debt bondage",
    "abusive_conditions": "Abusive working and living conditions",
    "excessive_overtime": "Excessive overtime",
}
# What a counsellor may choose at resolve; "erased" is set only by the service (bot.messaging.erasure).
OUTCOMES = {
    "resolved_with_person": "Resolved with the person",
    "referred": "Referred",
    "unreachable": "Person unreachable",
    "information_given": "Information given",
    Case.FALSE_ALARM: "False alarm",
    "other": "Other",
}
LABELS = {**TYPES, **INDICATORS, **OUTCOMES, Case.ERASED: "Erased by the person"}

# (flag or pattern of the opening message, types, indicators)
_FLAG_PROPOSALS = {
    "passport_kept": ({"document_confiscation"}, {"retention_of_documents"}),
    "fee_above_limit": ({"fee_fraud_or_debt"}, set()),
}
_WORD_PROPOSALS = (
    (re.compile(r"passport|পাসপোর্ট", re.IGNORECASE), {"document_confiscation"}, {"retention_of_documents"}),
    (re.compile(r"salary|wage|beton|বেতন", re.IGNORECASE), {"wage_theft"}, {"withholding_of_wages"}),
    (re.compile(r"\block|atke|আটকে", re.IGNORECASE), {"confinement"}, {"restriction_of_movement"}),
)


def proposed_labels(facts: dict, reported: str) -> tuple[set[str], set[str]]:
    """Types and indicators proposed from the case's facts (self-check flags) and the message that opened it."""
    types: set[str] = set()
    indicators: set[str] = set()
    for flag in facts.get("flags") or ():
        flag_types, flag_indicators = _FLAG_PROPOSALS.get(flag, (set(), set()))
        types |= flag_types
        indicators |= flag_indicators
    for pattern, word_types, word_indicators in _WORD_PROPOSALS:
        if pattern.search(reported):
            types |= word_types
            indicators |= word_indicators
    return types, indicators
