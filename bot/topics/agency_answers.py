"""Turn a registry lookup into the answer the bot gives: which response, with which values."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from bot.language.forms import latin_digits, localise_digits
from bot.models import Agency
from bot.topics.registry import classify, find_by_license, normalise_license, search_by_name

MAX_CHOICES = 3
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


def short_name(name: str) -> str:
    """The name, cut after the last whole word that fits CHOICE_NAME_CHARS."""
    if len(name) <= CHOICE_NAME_CHARS:
        return name
    return name[:CHOICE_NAME_CHARS].rsplit(" ", 1)[0] + "..."


def status_answer(agency: Agency, form: str | None) -> AgencyAnswer:
    """The answer for one known agency: its status, or that it is missing from the latest official list."""
    response = "utter_agency_unlisted" if agency.missing_from_last_import else f"utter_agency_{agency.status}"
    return AgencyAnswer(response, describe(agency, form))


def answer_query(session: Session, query: str, form: str | None) -> AgencyAnswer:
    """Look up an RL number or a name and say what the person should know."""
    license_number = normalise_license(query)
    if license_number:
        agency = find_by_license(session, license_number)
        return status_answer(agency, form) if agency else AgencyAnswer("utter_agency_not_found")
    matches = search_by_name(session, query, limit=MAX_CHOICES)
    verdict = classify(matches)
    if verdict == "one":
        return status_answer(matches[0].agency, form)
    if verdict == "none":
        return AgencyAnswer("utter_agency_not_found")
    return choose_answer([match.agency for match in matches], form)


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
