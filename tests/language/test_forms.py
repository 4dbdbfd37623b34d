"""Language-form detection: script, romanised-Bengali words, langdetect with a floor, then the preference."""

import pytest

from bot.language.forms import Detection, choose_form, detect, normalise_form, romanised_share
from bot.language.nlu_data import examples
from bot.messaging.keywords import keyword
from bot.settings import PROJECT_ROOT


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("দালাল ৩ লাখ টাকা চায়", "bn"),
        ("RL-১২৩৪ কি ঠিক?", "bn"),
        ("dalal 3 lakh taka chay saudi visa, ki korbo?", "bn_latn"),
        ("amar passport niye geche", "bn_latn"),
        ("RL 1234 ki thik ache?", "bn_latn"),
        ("AMAR SALARY DEY NA 4 MASH", "bn_latn"),
        ("they took my passport and lock us in the room", "en"),
        ("How much should I pay the agency to go to Saudi Arabia?", "en"),
    ],
)
def test_clear_texts_are_detected_confidently(text, form):
    assert detect(text).form == form
    assert detect(text).confident


@pytest.mark.parametrize("text", ["ok", "hi", "saudi", "RL 1234", "🙏🙏", "", "visa"])
def test_short_or_ambiguous_texts_follow_the_preference(text):
    assert not detect(text).confident
    assert choose_form(text, "bn_latn").form == "bn_latn"
    assert choose_form(text, "bn").form == "bn"


def test_clear_english_overrides_a_bengali_preference():
    assert choose_form("Is this agency licensed to send workers to Malaysia?", "bn") == Detection("en", True)


def test_loanwords_alone_do_not_make_a_text_romanised():
    assert romanised_share("dalal wants 3 lakh taka for the visa") == 0


@pytest.mark.parametrize(
    ("value", "form"), [("EN", "en"), ("bn", "bn"), ("BN-LATN", "bn_latn"), (" bn_latn ", "bn_latn"), ("fr", None)]
)
def test_user_spellings_of_a_form(value, form):
    assert normalise_form(value) == form


@pytest.mark.parametrize("form", ["en", "bn", "bn_latn"])
def test_confident_detections_on_held_out_messages_are_right(form):
    # The held-out files were written apart from the training data; a few "en" ones are really code-mixed.
    pairs = examples(PROJECT_ROOT / "tests" / "eval" / "nlu" / f"{form}.yml")
    decided = [detect(text) for _, text in pairs]
    confident = [d for d in decided if d.confident]
    right = sum(d.form == form for d in confident)
    assert len(confident) >= 0.6 * len(pairs)
    assert right >= 0.95 * len(confident)


@pytest.mark.parametrize(
    ("text", "word"),
    [("STOP", "stop"), (" stop. ", "stop"), ("Unsubscribe", "stop"), ("বন্ধ", "stop"), ("START", "start"),
     ("শুরু", "start"), ("help", "help"), ("সাহায্য", "help"), ("MENU", "menu"), ("মেনু", "menu"), ("more", "more"),
     ("আরো", "more"), ("aro", "more"), ("help me my passport was taken", None), ("stop the agent", None), ("", None)],
)  # fmt: skip
def test_keywords_work_in_every_form_only_as_the_whole_message(text, word):
    assert keyword(text) == word
