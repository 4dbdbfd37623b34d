"""End to end through the webhook: each of the eight topics of issue 16 in each form, fees for a country without a
figure, and a fee question about a boat. The expected text is read from the domain, so a copy edit does not break it.
"""

import re

import pytest
import yaml

from bot.hotline.canned import DOMAIN_PATH, variant
from tests.e2e.test_twilio_sms import replies

pytestmark = pytest.mark.e2e

# Written for these tests (not copied from data/nlu/): one question per topic and form, none a report of harm now.
QUESTIONS = {
    "complaint_abroad": {
        "en": "where can i file a complaint against my employer in saudi for a contract problem",
        "bn": "বিদেশে মালিকের বিরুদ্ধে অভিযোগ কোথায় করবো?",
        "bn_latn": "bideshe maliker biruddhe obhijog kothay korbo?",
    },
    "complaint_agency": {
        "en": "how do i complain against a recruiting agency in dhaka that cheated me",
        "bn": "রিক্রুটিং এজেন্সির বিরুদ্ধে অভিযোগ কিভাবে করবো?",
        "bn_latn": "agency amar sathe protarona korse, agency er biruddhe obhijog kivabe korbo",
    },
    "bmet_registration": {
        "en": "how do i register with BMET and get the smart card",
        "bn": "বিএমইটি রেজিস্ট্রেশন আর স্মার্ট কার্ড কিভাবে করবো?",
        "bn_latn": "BMET registration ar smart card kivabe korbo",
    },
    "irregular_status": {
        "en": "my iqama expired and the kafil did not renew it, what can i do",
        "bn": "আমার আকামার মেয়াদ শেষ, কফিল নবায়ন করে নাই, এখন কি করবো?",
        "bn_latn": "huroob dile ki kora jay? amnesty kobe ase",
    },
    "women_domestic": {
        "en": "what are the rules for women going abroad as housemaid",
        "bn": "মেয়েরা গৃহকর্মী হয়ে বিদেশ যেতে চাইলে কি নিয়ম?",
        "bn_latn": "meyera grihokormi hoye bidesh jete chaile ki niyom",
    },
    "death_compensation": {
        "en": "my brother died in malaysia, how do we get compensation",
        "bn": "আমার ভাই সৌদিতে মারা গেছে, ক্ষতিপূরণ কিভাবে পাবো?",
        "bn_latn": "amar bhai saudi te mara gese, khotipuron kivabe pabo",
    },
    "reintegration": {
        "en": "i came back home, is there any loan or help for returnees",
        "bn": "বিদেশ থেকে ফেরত আসছি, ফেরত আসা কর্মীদের জন্য কোন ঋণ বা সাহায্য আছে?",
        "bn_latn": "bidesh theke firechi, ferot asha kormider jonno kono loan ba sahajjo ase?",
    },
    "sea_travel": {
        "en": "is it safe to go to italy by boat from libya",
        "bn": "নৌকায় করে ইতালি যাওয়া কি নিরাপদ?",
        "bn_latn": "noukay kore italy jawa ki nirapod?",
    },
}


def fragment(response: str, form: str) -> str:
    """40 characters of the longest stretch of a response's text in a form without a placeholder."""
    items = yaml.safe_load(DOMAIN_PATH.read_text(encoding="utf-8"))["responses"][f"utter_{response}"]
    return max(re.split(r"\{\w+\}", variant(items, form)), key=len).strip()[:40]


@pytest.mark.parametrize(
    ("topic", "form"), [(topic, form) for topic, forms in QUESTIONS.items() for form in forms], ids="-".join
)
def test_each_new_topic_is_answered_in_each_form(rasa_stack, sms, topic, form):
    texts = replies(sms.send(QUESTIONS[topic][form]))
    assert fragment(topic, form) in " ".join(texts)


@pytest.mark.parametrize(
    ("text", "form"), [("how much to pay for qatar", "en"), ("কাতার যেতে কত টাকা লাগে?", "bn")], ids=["en", "bn"]
)
def test_fees_for_a_country_without_a_figure_say_so_without_asking_again(rasa_stack, sms, text, form):
    [answer] = replies(sms.send(text))
    assert fragment("fees_country_unknown", form) in answer
    assert "Which country" not in answer and ("Qatar" in answer or "কাতার" in answer)


def test_a_fee_question_about_a_boat_gets_the_sea_warning(rasa_stack, sms):
    texts = replies(sms.send("ami ki nouka diye italy jete pari? dalal bolse 8 lakh"))
    assert fragment("sea_travel", "bn_latn") in " ".join(texts) and "lakh" not in " ".join(texts)
