"""Where the person is, and whom to call there: emergency, labour line and Bangladesh mission per country.

The contacts come from data/content/destinations.yml, each with its source and the date it was checked; an entry
without a number, a source or a date is never stated. The country is found by its names and cities in the three
forms ("riyadh", "সৌদিতে", "dubai te").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import yaml

from bot.language.forms import DEFAULT_FORM
from bot.settings import PROJECT_ROOT

DESTINATIONS_PATH = PROJECT_ROOT / "data" / "content" / "destinations.yml"
HOME = "bangladesh"
KINDS = ("emergency", "labour_line", "mission")
LABELS = {
    "en": {"emergency": "emergency {}", "labour_line": "labour line {}", "mission": "Bangladesh embassy {}"},
    "bn": {"emergency": "জরুরি {}", "labour_line": "শ্রম হেল্পলাইন {}", "mission": "বাংলাদেশ দূতাবাস {}"},
    "bn_latn": {"emergency": "joruri {}", "labour_line": "shrom helpline {}", "mission": "Bangladesh dutabash {}"},
}
_BENGALI_LETTER = r"\u0980-\u09FF"


@dataclass(frozen=True)
class Destination:
    """One country: its names by language form, and the stated numbers by kind (emergency, labour_line, mission)."""

    key: str
    name: str
    name_bn: str
    name_bn_latn: str
    numbers: dict[str, str]


def _stated(entry: dict | None) -> str | None:
    """The entry's number when it has a source and a date checked; None otherwise."""
    if not entry or not all(entry.get(field) for field in ("number", "source", "checked")):
        return None
    return str(entry["number"])


@cache
def load_destinations() -> dict[str, Destination]:
    """Every destination of the data file, by country key."""
    data = yaml.safe_load(DESTINATIONS_PATH.read_text(encoding="utf-8"))
    found = {}
    for key, entry in data.items():
        numbers = {kind: number for kind in KINDS if (number := _stated(entry.get(kind)))}
        name = entry["name"]
        found[key] = Destination(key, name, entry.get("name_bn") or name, entry.get("name_bn_latn") or name, numbers)
    return found


# Case and place endings people add to a country's name, romanised and in Bengali script.
PLACE_ENDINGS = "e|te|y|er|r|re|ে|তে|য়|র|ের|এ"


@cache
def _alias_pattern() -> tuple[re.Pattern, dict[str, str]]:
    data = yaml.safe_load(DESTINATIONS_PATH.read_text(encoding="utf-8"))
    by_alias = {}
    for key, entry in data.items():
        for alias in [*entry.get("aliases", []), *entry.get("aliases_bn", [])]:
            by_alias[str(alias).casefold()] = key
    # Longest first, so "saudi arabia" wins over "saudi"; no letter of either script may touch an alias, except the
    # endings of place ("kuwaite", "dubaite", "কুয়েতে", "সৌদির").
    names = "|".join(re.escape(alias) for alias in sorted(by_alias, key=len, reverse=True))
    edge = rf"[\w{_BENGALI_LETTER}]"
    return re.compile(rf"(?<!{edge})({names})(?:{PLACE_ENDINGS})?(?!{edge})"), by_alias


def country_in(text: str) -> str | None:
    """The key of the first country (or city) named in the text, or None."""
    pattern, by_alias = _alias_pattern()
    found = pattern.search(text.casefold()[:2000])
    return by_alias[found.group(1)] if found else None


def country_name(destination: Destination, form: str | None) -> str:
    """The country's name in the language form."""
    return {"bn": destination.name_bn, "bn_latn": destination.name_bn_latn}.get(form or "", destination.name)


def contacts_line(destination: Destination, form: str | None) -> str:
    """The stated numbers of a country, labelled in the form: "emergency 911, labour line 19911".

    Numbers stay in Latin digits here, as the data file holds them; the gateway writes them in Bengali digits in a
    Bengali-script answer (bot/messaging/rendering.py).
    """
    labels = LABELS.get(form or DEFAULT_FORM, LABELS[DEFAULT_FORM])
    return ", ".join(labels[kind].format(number) for kind, number in destination.numbers.items())


def emergency_response(country: str | None, form: str | None) -> tuple[str, dict[str, str]]:
    """The emergency answer for where the person is: at home, abroad with stated contacts, or not known."""
    if country == HOME:
        return "utter_report_abuse_home", {}
    destination = load_destinations().get(country or "")
    if destination and destination.numbers:
        values = {"country_name": country_name(destination, form), "local_contacts": contacts_line(destination, form)}
        return "utter_report_abuse_abroad", values
    return "utter_report_abuse", {}
