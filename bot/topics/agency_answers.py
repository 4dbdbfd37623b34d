"""Turn a registry lookup into the answer the bot gives: which response, with which values."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from bot.language.forms import DEFAULT_FORM, latin_digits, localise_digits
from bot.models import Agency
from bot.topics.registry import (
    RegistryState,
    best_matches,
    classify,
    find_by_license,
    is_sample,
    normalise_license,
    registry_state,
    searched_words,
)

MAX_CHOICES = 3
# What an answer says of the list it comes from: the date of the last import, or that it is the sample file.
LIST_OF = {
    "en": "licence list of {date}",
    "bn": "তালিকা {date}",
    "bn_latn": "{date} tarikher license talika",
}
SAMPLE_LIST = {
    "en": "SAMPLE data, not the official list",
    "bn": "নমুনা তালিকা, সরকারি নয়",
    "bn_latn": "namuna tottho, sorkari talika noy",
}
# Names in a list of choices are cut at a word so three of them fit one SMS page.
CHOICE_NAME_CHARS = 24


@dataclass(frozen=True)
class AgencyAnswer:
    """A response name and the values for its placeholders."""

    response: str
    values: dict[str, str] = field(default_factory=dict)
    choices: list[str] = field(default_factory=list)


def describe(agency: Agency, form: str | None) -> dict[str, str]:
    """Name, licence and expiry of an agency, written for the language form."""
    expiry = agency.license_expiry.strftime("%d/%m/%Y") if agency.license_expiry else "?"
    name = agency.name_bn if form == "bn" and agency.name_bn else agency.name
    return {"agency": name, "license": agency.license_number, "expiry": localise_digits(expiry, form)}


def list_phrase(state: RegistryState, form: str | None, sample: bool = False) -> str:
    """Which list an answer comes from, in the language form: "licence list of 02/12/2026", or the sample's warning."""
    form = form if form in LIST_OF else DEFAULT_FORM
    if sample or state.sample:
        return SAMPLE_LIST[form]
    day = state.last_import_at.strftime("%d/%m/%Y") if state.last_import_at else "?"
    return LIST_OF[form].format(date=localise_digits(day, form))


def short_name(name: str) -> str:
    """The name, cut after the last whole word that fits CHOICE_NAME_CHARS."""
    if len(name) <= CHOICE_NAME_CHARS:
        return name
    return name[:CHOICE_NAME_CHARS].rsplit(" ", 1)[0] + "..."


def status_answer(agency: Agency, form: str | None, state: RegistryState) -> AgencyAnswer:
    """The answer for one known agency: its status, or that it is missing from the latest official list."""
    response = "utter_agency_unlisted" if agency.missing_from_last_import else f"utter_agency_{agency.status}"
    return AgencyAnswer(response, {**describe(agency, form), "list": list_phrase(state, form, is_sample(agency))})


def answer_query(session: Session, texts: list[str], form: str | None) -> AgencyAnswer:
    """Look up an RL number written in the texts, else the surest name match among them, and say what to know.

    `texts` are the slot's query and the person's whole message: the model's entity is often only part of a name,
    so the registry is searched with both and the surer result kept. A name not found is never called unlicensed.
    """
    state = registry_state(session)
    if not state.agencies:
        return AgencyAnswer("utter_agency_check_unavailable")
    for text in texts:
        license_number = normalise_license(text)
        if license_number:
            agency = find_by_license(session, license_number)
            return status_answer(agency, form, state) if agency else not_found(license_number, form, state)
    matches = best_matches(session, texts, limit=MAX_CHOICES)
    verdict = classify(matches)
    if verdict == "one":
        return status_answer(matches[0].agency, form, state)
    if verdict == "none":
        return not_found(quoted_query(texts), form, state)
    return choose_answer([match.agency for match in matches], form)


def quoted_query(texts: list[str]) -> str:
    """What to quote as searched: the person's own words when short ("Golden Falcon Overseas"), else the span."""
    words = [searched_words(text) for text in texts]
    short = [text for text in reversed(words) if text and not text.endswith("...")]
    return next(iter(short), next((text for text in words if text), ""))


def not_found(searched: str, form: str | None, state: RegistryState) -> AgencyAnswer:
    """What was searched and in which list; the response asks for the RL number and says not to pay until checked."""
    return AgencyAnswer("utter_agency_not_found", {"searched": searched, "list": list_phrase(state, form)})


def choose_answer(agencies: list[Agency], form: str | None) -> AgencyAnswer:
    """A numbered list of agencies to choose from ("1 Green Star (RL-2001), 2 ..."), and their licence numbers."""
    names = [short_name(describe(agency, form)["agency"]) for agency in agencies]
    listed = ", ".join(
        f"{number} {name} ({agency.license_number})"
        for number, (name, agency) in enumerate(zip(names, agencies, strict=True), start=1)
    )
    return AgencyAnswer(
        "utter_agency_choose", {"choices": localise_digits(listed, form)}, [a.license_number for a in agencies]
    )


def pick_choice(text: str, choices: list[str]) -> str | None:
    """The licence number a reply like "2" or "২" picks from the numbered choices, or None."""
    digits = latin_digits(text.strip().strip("."))
    if digits.isdigit() and 1 <= int(digits) <= len(choices):
        return choices[int(digits) - 1]
    return None
