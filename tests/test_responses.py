"""Every response and notice in every language form: present, consistent, sourced, dated and within the SMS budget.

The checks run over whatever domain.yml holds, so a new response is covered as soon as it is added.
"""

import re
from collections import Counter
from functools import cache

import pytest
import yaml

from bot.language.forms import latin_digits
from bot.messaging.notices import NOTICES, notice
from bot.messaging.rasa_client import BotReply
from bot.messaging.rendering import render
from bot.messaging.sms import count_segments
from bot.settings import PROJECT_ROOT
from bot.topics.agency_answers import LIST_OF, MAX_CHOICES, SAMPLE_LIST, short_name
from bot.topics.destinations import contacts_line, country_name, load_destinations
from bot.topics.fees import load_ceilings
from bot.topics.registry import MAX_SEARCHED_CHARS

DOMAIN = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
# The longest values the actions fill in, with Latin digits as the settings and the registry give them.
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
# The six most asked topics: their first pages fit two segments in every form (Bengali script included).
TOP_TOPICS = ("utter_fees", "utter_fee_", "utter_visa", "utter_trafficking_signs", "utter_contract", "utter_documents",
              "utter_check_agency", "utter_ask_agency_query")  # fmt: skip
TOP_TOPIC_SEGMENTS = 2
MORE_SUFFIX = "_more"
# Answers whose first page must end with the next step: a number to call, or HELP (which gives the numbers).
NEXT_STEP_RESPONSES = ("utter_trafficking_signs", "utter_remittance", "utter_health_check")
NEXT_STEP = re.compile(r"\{hotline_number\}|\bHELP\b")
SENTENCE_END = re.compile(r"[.!?।]+")
PLACEHOLDER = re.compile(r"\{(\w+)\}")
LATIN_DIGIT = re.compile(r"[0-9]")
# A number as written in answers and sources: "3", "2016", "78,990", "1,65,000" (commas group digits).
NUMBER = re.compile(r"\d+(?:,\d{2,3})*")
HOTLINE_WORD = re.compile(r"hotline|হটলাইন", re.IGNORECASE)
# A sum of money: digits before taka / lakh (any form), after Tk, or the fee ceiling filled in.
MONEY = re.compile(r"\d\s*(taka|টাকা|lakh|লাখ)|\bTk\s*\d|\{ceiling\}", re.IGNORECASE)
YEAR = re.compile(r"(?<!\d)(19|20)\d\d(?!\d)|\{since\}")
# Who can confirm a figure: the hotline, BMET, the district office (DEMO), or HELP (which gives the hotline).
CONFIRMER = re.compile(r"\{hotline_number\}|\b(BMET|DEMO|HELP)\b|ডিইএমও")
# "Never pay a dalal" as each form says it: on the first page of every fee answer, never only behind MORE.
NEVER_PAY_A_DALAL = {
    "en": re.compile(r"\bnever pay a dalal\b", re.IGNORECASE),
    "bn": re.compile("দালালকে (কখনো )?টাকা দেবেন না"),
    "bn_latn": re.compile(r"\bdalal-ke (kokhono )?taka deben na\b", re.IGNORECASE),
}
SOURCE_FILES = ("data/SOURCES.md", "data/content/FACTS.md", "data/content/fees.yml", "data/content/destinations.yml")


def variants():
    """(response name, language form, text) for every variation in the domain."""
    for name, items in DOMAIN["responses"].items():
        for item in items:
            conditions = item.get("condition") or [{"value": "en"}]
            yield name, conditions[0]["value"], item["text"]


def texts_of(name: str) -> dict[str, str]:
    """The response's text in each language form."""
    return {form: text for response, form, text in variants() if response == name}


def numbers_in(text: str) -> list[str]:
    """The numbers a text states, placeholders left out, Bengali digits read as Latin, grouping commas dropped."""
    return [number.replace(",", "") for number in NUMBER.findall(latin_digits(PLACEHOLDER.sub("", text)))]


def is_top_topic_first_page(name: str) -> bool:
    return name.startswith(TOP_TOPICS) and not name.endswith(MORE_SUFFIX)


@cache
def longest_values(form: str) -> dict[str, str]:
    """The longest value of every placeholder in the form, as the actions fill them in."""
    destinations = load_destinations().values()
    countries = [ceiling.name_in(form) for ceiling in load_ceilings().values()]
    longest_agency = LONGEST_AGENCY_NAME[form]
    return {
        **PLACEHOLDER_VALUES,
        "country_name": max(countries + [country_name(destination, form) for destination in destinations], key=len),
        "agency": longest_agency,
        "choices": ", ".join([f"{short_name(longest_agency)} (RL-12345)"] * MAX_CHOICES),
        "list": max(SAMPLE_LIST[form], LIST_OF[form].format(date="30/06/2027"), key=len),
        "searched": LONGEST_SEARCHED[form] + "...",
        "local_contacts": max((contacts_line(destination, form) for destination in destinations), key=len),
    }


def filled(text: str, form: str) -> str:
    values = longest_values(form)
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], text)


def directly_uttered() -> set[str]:
    """Responses that rules, stories or forms utter without an action: only slots can fill their placeholders."""
    names = {f"utter_ask_{slot}" for form in DOMAIN["forms"].values() for slot in form["required_slots"]}
    for path in [*(PROJECT_ROOT / "data" / "rules").glob("*.yml"), *(PROJECT_ROOT / "data" / "stories").glob("*.yml")]:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for flow in data.get("rules", []) + data.get("stories", []):
            names |= {step["action"] for step in flow["steps"] if str(step.get("action", "")).startswith("utter_")}
    return names


ALL = list(variants())
SOURCED_NUMBERS = {
    number for path in SOURCE_FILES for number in numbers_in((PROJECT_ROOT / path).read_text(encoding="utf-8"))
}
BENGALI = [variant for variant in ALL if variant[1] == "bn"]
FEE_FIRST_PAGES = [
    variant for variant in ALL if variant[0].startswith("utter_fees_") and not variant[0].endswith(MORE_SUFFIX)
]


def ids(variants: list[tuple[str, str, str]]) -> list[str]:
    """Test ids "utter_visa-bn": the response and the form, without the text."""
    return [f"{name}-{form}" for name, form, _ in variants]


@pytest.mark.parametrize("name", sorted(DOMAIN["responses"]))
def test_every_response_exists_in_all_three_forms_with_the_same_placeholders(name):
    texts = texts_of(name)
    assert set(texts) == {"en", "bn", "bn_latn"}
    placeholders = {form: set(PLACEHOLDER.findall(text)) for form, text in texts.items()}
    assert placeholders["bn"] == placeholders["en"] == placeholders["bn_latn"]


@pytest.mark.parametrize("name", sorted(DOMAIN["responses"]))
def test_every_form_states_the_same_numbers(name):
    numbers = {form: Counter(numbers_in(text)) for form, text in texts_of(name).items()}
    assert numbers["bn"] == numbers["en"] == numbers["bn_latn"], numbers


@pytest.mark.parametrize(("name", "form", "text"), ALL, ids=ids(ALL))
def test_first_page_fits_the_sms_budget(name, form, text):
    count = count_segments(filled(text, form))
    encoding, most = BUDGET[form]
    if is_top_topic_first_page(name):
        most = min(most, TOP_TOPIC_SEGMENTS)
    if encoding == "GSM-7":
        assert count.encoding == "GSM-7", f"{name} [{form}] has characters outside GSM-7: {filled(text, form)}"
    assert count.segments <= most, f"{name} [{form}] is {count.segments} segments: {filled(text, form)}"


def test_the_six_most_asked_topics_are_checked_against_the_two_segment_budget():
    checked = {name for name in DOMAIN["responses"] if is_top_topic_first_page(name)}
    assert {"utter_fees_general", "utter_visa", "utter_trafficking_signs", "utter_contract", "utter_documents",
            "utter_check_agency"} <= checked  # fmt: skip


@pytest.mark.parametrize(("name", "form", "text"), BENGALI, ids=ids(BENGALI))
def test_bengali_answers_write_every_digit_in_bengali_once_rendered(name, form, text):
    assert not LATIN_DIGIT.search(PLACEHOLDER.sub("", text)), f"{name} [bn] has Latin digits: {text}"
    rendered = render("sms", [BotReply(filled(text, form))], form, 3)
    pages = [message.text for message in rendered.messages] + rendered.pending_pages
    assert not any(LATIN_DIGIT.search(page) for page in pages), pages


@pytest.mark.parametrize(("name", "form", "text"), FEE_FIRST_PAGES, ids=ids(FEE_FIRST_PAGES))
def test_the_first_page_of_every_fee_answer_says_never_pay_a_dalal(name, form, text):
    assert NEVER_PAY_A_DALAL[form].search(text), f"{name} [{form}]: {text}"


def test_the_dalal_check_covers_every_fee_answer_the_fee_action_sends():
    assert {name for name, _, _ in FEE_FIRST_PAGES} == {
        "utter_fees_general", "utter_fees_country", "utter_fees_country_stale", "utter_fees_country_unknown"
    }  # fmt: skip


@pytest.mark.parametrize(("name", "form", "text"), ALL, ids=ids(ALL))
def test_the_hotline_is_never_named_without_its_number(name, form, text):
    assert not HOTLINE_WORD.search(text) or "{hotline_number}" in text, f"{name} [{form}]: {text}"


@pytest.mark.parametrize(("name", "form", "text"), ALL, ids=ids(ALL))
def test_every_number_of_an_answer_is_in_the_sources_or_the_data(name, form, text):
    unsourced = [number for number in numbers_in(text) if number not in SOURCED_NUMBERS]
    assert not unsourced, f"{name} [{form}] states {unsourced}, found in none of {SOURCE_FILES}"


@pytest.mark.parametrize(("name", "form", "text"), ALL, ids=ids(ALL))
def test_a_sum_of_money_says_how_old_it_is_and_who_can_confirm_it(name, form, text):
    if MONEY.search(latin_digits(text)):
        assert YEAR.search(latin_digits(text)) and CONFIRMER.search(text), f"{name} [{form}]: {text}"


@pytest.mark.parametrize(("name", "form"), [(name, form) for name in NEXT_STEP_RESPONSES for form in BUDGET])
def test_warning_health_and_remittance_answers_end_with_the_next_step(name, form):
    sentences = [sentence for sentence in SENTENCE_END.split(texts_of(name)[form]) if sentence.strip()]
    assert NEXT_STEP.search(sentences[-1]), sentences[-1]


@pytest.mark.parametrize("name", sorted(directly_uttered() & set(DOMAIN["responses"])))
def test_responses_uttered_without_an_action_have_only_slot_placeholders(name):
    # Rasa fills a placeholder from the action's values or a slot; anything else reaches the person as "{...}".
    placeholders = {placeholder for text in texts_of(name).values() for placeholder in PLACEHOLDER.findall(text)}
    assert placeholders <= set(DOMAIN["slots"]), f"{name} is uttered by a rule but needs {placeholders}"


def test_the_responses_uttered_without_an_action_are_read_from_rules_stories_and_forms():
    # The check above is generated from the data: it must see the topic answers of the rules and the form questions.
    assert {"utter_greet", "utter_complaint_abroad", "utter_trafficking_signs", "utter_ask_fee_above_limit"} <= (
        directly_uttered()
    )


def test_fee_answers_name_the_country_in_the_genitive_of_each_bengali_form():
    for ceiling in load_ceilings().values():
        assert ceiling.name_in("bn").endswith("র") and ceiling.name_in("bn_latn").endswith("r")
        assert not ceiling.name_in("bn_latn").lower().startswith("the ")


def test_romanised_answers_name_countries_without_the_english_article():
    assert not [name for d in load_destinations().values() if (name := country_name(d, "bn_latn")).startswith("the ")]


def test_no_markdown_or_links_in_answers():
    for name, form, text in ALL:
        assert not re.search(r"\*\*|__|\[[^\]]+\]\(|https?://", text), (name, form)


NOTICE_CASES = [(key, form) for key in NOTICES for form in BUDGET]


@pytest.mark.parametrize(("key", "form"), NOTICE_CASES)
def test_gateway_notices_fit_the_sms_budget(key, form):
    count = count_segments(notice(key, form, **PLACEHOLDER_VALUES))
    encoding, most = BUDGET[form]
    assert (encoding == "UCS-2" or count.encoding == "GSM-7") and count.segments <= most


@pytest.mark.parametrize(("key", "form"), NOTICE_CASES)
def test_gateway_notices_name_the_hotline_with_its_number_and_one_digit_system(key, form):
    text = NOTICES[key][form]
    assert not HOTLINE_WORD.search(text) or "{hotline_number}" in text
    sent = notice(key, form, **PLACEHOLDER_VALUES)
    assert not (form == "bn" and LATIN_DIGIT.search(sent)), sent
