"""Every response in every language form: present, same placeholders, and within the SMS budget of DESIGN.md."""

import re

import pytest
import yaml

from bot.messaging.notices import NOTICES, notice
from bot.messaging.sms import count_segments
from bot.settings import PROJECT_ROOT
from bot.topics.agency_answers import LIST_OF, MAX_CHOICES, SAMPLE_LIST, short_name
from bot.topics.destinations import contacts_line, country_name, load_destinations
from bot.topics.fees import load_ceilings
from bot.topics.registry import MAX_SEARCHED_CHARS

DOMAIN = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
# The longest values the actions fill in.
PLACEHOLDER_VALUES = {
    "ceiling": "1,65,000",
    "since": "2016",
    "hotline_number": "+880 9610102030",
    "license": "RL-12345",
    "expiry": "30/06/2027",
    "emergency_number": "999",
}
# As long as the longest names of the sample registry (47 characters in Latin letters, 53 in Bengali script).
LONGEST_AGENCY_NAME = {
    "en": "Hasnahena Aparajita Travels & Recruiting Agency",
    "bn_latn": "Hasnahena Aparajita Travels & Recruiting Agency",
    "bn": "পাল তোলা হাসনাহেনা ট্রাভেলস অ্যান্ড রিক্রুটিং এজেন্সি",
}
# The longest name part quoted back from a question that found nothing, in the letters of each form.
LONGEST_SEARCHED = {"en": "W" * MAX_SEARCHED_CHARS, "bn_latn": "W" * MAX_SEARCHED_CHARS, "bn": "ক" * MAX_SEARCHED_CHARS}
BUDGET = {"en": ("GSM-7", 2), "bn_latn": ("GSM-7", 2), "bn": ("UCS-2", 3)}
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def variants():
    """(response name, language form, text) for every variation in the domain."""
    for name, items in DOMAIN["responses"].items():
        for item in items:
            conditions = item.get("condition") or [{"value": "en"}]
            yield name, conditions[0]["value"], item["text"]


def forms_of(name: str) -> set[str]:
    return {form for response, form, _ in variants() if response == name}


@pytest.mark.parametrize("name", sorted(DOMAIN["responses"]))
def test_every_response_exists_in_all_three_forms_with_the_same_placeholders(name):
    assert forms_of(name) == {"en", "bn", "bn_latn"}
    placeholders = {form: set(PLACEHOLDER.findall(text)) for response, form, text in variants() if response == name}
    assert placeholders["bn"] == placeholders["en"] == placeholders["bn_latn"]


@pytest.mark.parametrize(("name", "form", "text"), list(variants()), ids=lambda value: str(value)[:30])
def test_first_page_fits_the_sms_budget(name, form, text):
    destinations = load_destinations().values()
    countries = [ceiling.name_in(form) for ceiling in load_ceilings().values()]
    longest_country = max(countries + [country_name(destination, form) for destination in destinations], key=len)
    longest_contacts = max((contacts_line(destination, form) for destination in destinations), key=len)
    longest_agency = LONGEST_AGENCY_NAME[form]
    choices = ", ".join([f"{short_name(longest_agency)} (RL-12345)"] * MAX_CHOICES)
    longest_list = max(SAMPLE_LIST[form], LIST_OF[form].format(date="30/06/2027"), key=len)
    values = {
        **PLACEHOLDER_VALUES,
        "country_name": longest_country,
        "agency": longest_agency,
        "choices": choices,
        "list": longest_list,
        "searched": LONGEST_SEARCHED[form] + "...",
        "local_contacts": longest_contacts,
    }
    filled = PLACEHOLDER.sub(lambda match: values[match.group(1)], text)
    count = count_segments(filled)
    encoding, most = BUDGET[form]
    if encoding == "GSM-7":
        assert count.encoding == "GSM-7", f"{name} [{form}] has characters outside GSM-7: {filled}"
    assert count.segments <= most, f"{name} [{form}] is {count.segments} segments: {filled}"


def test_no_markdown_or_links_in_answers():
    for name, form, text in variants():
        assert not re.search(r"\*\*|__|\[[^\]]+\]\(|https?://", text), (name, form)


@pytest.mark.parametrize(("key", "form"), [(key, form) for key in NOTICES for form in BUDGET])
def test_gateway_notices_fit_the_sms_budget(key, form):
    count = count_segments(notice(key, form, **PLACEHOLDER_VALUES))
    encoding, most = BUDGET[form]
    assert (encoding == "UCS-2" or count.encoding == "GSM-7") and count.segments <= most
