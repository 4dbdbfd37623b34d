"""End to end: keywords before the bot (STOP, START, HELP, MENU, MORE), paging within the SMS budget, media."""

import dataclasses

import pytest

from bot.language.forms import BENGALI_LETTER
from bot.messaging.sms import count_segments
from bot.models import Message
from tests.conftest import SmsSender
from tests.e2e.test_twilio_sms import replies

pytestmark = pytest.mark.e2e


def test_stop_silences_everything_until_start(rasa_stack, sms, stored):
    assert "START" in replies(sms.send("STOP"))[0]
    assert replies(sms.send("how much for saudi?")) == []
    assert replies(sms.send("hello")) == []
    ignored = stored.count(Message.direction == Message.INBOUND, Message.status == Message.IGNORED)
    assert ignored == 2
    assert "MENU" in replies(sms.send("start"))[0]
    assert "1,65,000" in replies(sms.send("how much for saudi?"))[0]


def test_stop_in_bengali_confirms_in_bengali(rasa_stack, sms):
    assert BENGALI_LETTER.search(replies(sms.send("বন্ধ"))[0])
    assert replies(sms.send("ভিসা কিভাবে চেক করব?")) == []


def test_help_gives_the_numbers_without_asking_the_bot(sms, stored):
    (text,) = replies(sms.send("HELP"))
    assert "+880 9610102030" in text and "999" in text and "STOP" in text


def test_menu_keyword_in_bengali_gets_the_menu_in_bengali(rasa_stack, sms):
    (text,) = replies(sms.send("মেনু"))
    assert "১ খরচ" in text and BENGALI_LETTER.search(text)


def test_media_only_message_gets_a_clear_answer(sms, stored):
    (text,) = replies(
        sms.send("", NumMedia="1", MediaUrl0="https://api.twilio.com/media/ME1", MediaContentType0="image/jpeg")
    )
    assert "text only" in text
    assert stored.count(Message.status == Message.ANSWERED) == 1


def test_long_reply_is_paged_and_more_sends_the_rest(rasa_stack, settings, make_app, stored):
    one_segment = dataclasses.replace(settings, sms_segment_budget=1)
    sms = SmsSender(make_app(one_segment).test_client())
    first = replies(sms.send("how much should i pay for saudi arabia"))
    assert len(first) == 1 and first[0].endswith("Reply MORE")
    pages = [first[0]]
    for _ in range(5):
        (page,) = replies(sms.send("MORE"))
        pages.append(page)
        if not page.endswith("Reply MORE"):
            break
    assert all(count_segments(page).segments == 1 for page in pages)
    whole = " ".join(page.removesuffix("Reply MORE").strip() for page in pages)
    assert "1,65,000" in whole and "domestic workers" in whole
    # Then the fee answer's own next page from the bot (paged again), then nothing more.
    later = []
    for _ in range(5):
        (page,) = replies(sms.send("MORE"))
        later.append(page)
        if "all on this topic" in page:
            break
    assert "dalal" in " ".join(later) and "all on this topic" in later[-1]
