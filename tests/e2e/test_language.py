"""End to end: the answer comes in the form the person writes in, or chose with LANG."""

import pytest

from bot.language.forms import BENGALI_LETTER, latin_digits
from bot.messaging.sms import is_gsm7
from tests.e2e.test_twilio_sms import replies

pytestmark = pytest.mark.e2e


def test_bengali_script_question_gets_a_bengali_script_answer(rasa_stack, sms):
    texts = replies(sms.send("সৌদি আরব যেতে কত টাকা লাগে?"))
    assert texts and all(BENGALI_LETTER.search(text) for text in texts)
    assert "১,৬৫,০০০" in texts[0]


def test_romanised_question_gets_a_romanised_answer(rasa_stack, sms):
    texts = replies(sms.send("dalal 3 lakh taka chay saudi visa, ki korbo?"))
    assert texts and all(is_gsm7(text) and not BENGALI_LETTER.search(text) for text in texts)
    assert "1,65,000" in texts[0] and "taka" in texts[0].lower()
    assert "You should not pay" not in texts[0]


def test_lang_command_switches_and_short_messages_follow_it(rasa_stack, sms):
    assert "বাংলায়" in replies(sms.send("LANG BN"))[0]
    assert BENGALI_LETTER.search(replies(sms.send("visa?"))[0])
    assert "English" in replies(sms.send("lang en"))[0]
    assert not BENGALI_LETTER.search(replies(sms.send("visa?"))[0])


def test_english_question_after_choosing_bengali_gets_a_sensible_answer(rasa_stack, sms):
    replies(sms.send("LANG BN"))
    # "Is a visit visa fine for working in Dubai?" sits between ask_visa and ask_trafficking_signs (visit visa for work
    # is a warning sign), and either answer is right; this question is a visa question only.
    texts = replies(sms.send("What kind of visa do I need to work in Dubai?"))
    # The visa answer, in English (the text is clearly English) or in the chosen Bengali; never a fallback.
    assert texts and ("work visa" in texts[0] or "কাজের ভিসা" in texts[0])


def test_report_abuse_gives_the_numbers_at_once(rasa_stack, sms):
    texts = replies(sms.send("they took my passport and lock us in room, please help"))
    assert "999" in texts[0] and "+880 9610102030" in texts[0]


@pytest.mark.parametrize(
    ("text", "emergency"),
    [
        ("HELP HELP HELP", "999"),
        ("SISTER BEATEN BY MADAM IN RIYADH PLS HELP URGENT", "911"),  # Saudi Arabia's emergency number
        ("amar passport niye geche malik ar ferot dicche na", "999"),
        ("দুই দিন ধরে খাওয়া দেয় না, কেউ কি আছে সাহায্য করবেন", "999"),
        ("মালিক আমার পাসপোর্ট নি\u09dfে গেছে", "999"),  # "য়" typed as one code point
    ],
)
def test_emergencies_the_model_misses_still_get_the_emergency_answer(rasa_stack, sms, text, emergency):
    first = latin_digits(replies(sms.send(text))[0])  # Bengali answers write the numbers in Bengali digits
    assert emergency in first and "9610102030" in first
