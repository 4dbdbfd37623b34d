"""Replies per channel: numbered menus and pages for SMS, numbered text for WhatsApp, real buttons for chat apps."""

import pytest
import yaml

from bot.channels.base import Button
from bot.messaging.rasa_client import BotReply
from bot.messaging.rendering import render
from bot.messaging.sms import count_segments
from bot.settings import PROJECT_ROOT

BUTTONS = [{"title": "Fees", "payload": "/ask_recruitment_fees"}, {"title": "Visa", "payload": "/ask_visa"}]
DOMAIN = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))


def test_sms_buttons_become_a_numbered_menu_and_their_payloads_are_kept():
    rendered = render("sms", [BotReply("Pick a topic.", BUTTONS)], "en", 3)
    assert [m.text for m in rendered.messages] == ["Pick a topic.\n1 Fees\n2 Visa"]
    assert rendered.messages[0].buttons == ()
    assert rendered.menu == ["/ask_recruitment_fees", "/ask_visa"]


def test_bengali_menus_use_bengali_digits():
    rendered = render("sms", [BotReply("বিষয়", BUTTONS)], "bn", 3)
    assert rendered.messages[0].text.endswith("১ Fees\n২ Visa")


@pytest.mark.parametrize("channel", ["sms", "whatsapp", "telegram", "messenger"])
def test_bengali_replies_get_bengali_digits_in_the_values_rasa_filled_in(channel):
    # Rasa fills {hotline_number} and RL numbers from settings and the registry, in Latin digits.
    reply = BotReply("হটলাইন +880 9610102030-এ ফোন করুন। RL-1024 যাচাই করুন।")
    rendered = render(channel, [reply], "bn", 3)
    assert rendered.messages[0].text == "হটলাইন +৮৮০ ৯৬১০১০২০৩০-এ ফোন করুন। RL-১০২৪ যাচাই করুন।"


def test_english_and_romanised_replies_keep_one_digit_system_too():
    rendered = render("sms", [BotReply("Ami RL ১০২৪ khujchi"), BotReply("Tk 78,990")], "bn_latn", 3)
    assert rendered.messages[0].text == "Ami RL 1024 khujchi\nTk 78,990"


def test_a_reply_without_buttons_closes_the_menu():
    assert render("sms", [BotReply("Saudi Arabia: Tk 1,65,000.")], "en", 3).menu is None


def test_whatsapp_gets_one_numbered_text_without_paging():
    long_text = "A sentence of forty characters, or so. " * 20
    rendered = render("whatsapp", [BotReply(long_text.strip(), BUTTONS)], "en", 1)
    assert len(rendered.messages) == 1 and rendered.pending_pages == []
    assert rendered.messages[0].text.endswith("1 Fees\n2 Visa")


@pytest.mark.parametrize("channel", ["telegram", "messenger"])
def test_chat_apps_get_real_buttons_on_the_reply_that_has_them(channel):
    rendered = render(channel, [BotReply("Hello."), BotReply("Pick a topic.", BUTTONS)], "en", 3)
    assert [m.text for m in rendered.messages] == ["Hello.", "Pick a topic."]
    assert rendered.messages[1].buttons == (Button("Fees", "/ask_recruitment_fees"), Button("Visa", "/ask_visa"))
    assert rendered.menu is None


def test_long_sms_is_paged_within_the_budget_and_the_rest_kept_for_more():
    text = " ".join(f"Sentence number {n} is here to fill the page." for n in range(30))
    rendered = render("sms", [BotReply(text)], "en", 2)
    pages = [rendered.messages[0].text, *rendered.pending_pages]
    assert len(pages) > 2 and all(count_segments(page).segments <= 2 for page in pages)
    assert all(page.endswith("Reply MORE") for page in pages[:-1])


def test_buttons_without_title_or_payload_are_dropped():
    rendered = render("telegram", [BotReply("Hi", [{"title": "x"}, {"payload": "/y"}, "junk"])], "en", 3)
    assert rendered.messages[0].buttons == ()


def menu_responses():
    for name, items in DOMAIN["responses"].items():
        for item in items:
            if item.get("buttons"):
                yield name, (item.get("condition") or [{"value": "en"}])[0]["value"], item


@pytest.mark.parametrize(("name", "form", "item"), list(menu_responses()), ids=lambda v: str(v)[:20])
def test_every_response_with_buttons_fits_one_sms_page_with_its_numbered_menu(name, form, item):
    rendered = render("sms", [BotReply(item["text"], item["buttons"])], form, 3)
    assert rendered.pending_pages == [], f"{name} [{form}] needs MORE for its own menu"
    assert len(rendered.menu) == len(item["buttons"])
