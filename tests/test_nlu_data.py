"""The NLU examples: enough of them per intent and form, one label per text, and none of the held-out messages."""

from collections import Counter, defaultdict

import pytest
import yaml

from bot.language.forms import FORMS
from bot.language.nlu_data import comparable, examples
from bot.settings import PROJECT_ROOT


def _training() -> list[tuple[str, str, str]]:
    return [
        (form, intent, text) for form in FORMS for intent, text in examples(PROJECT_ROOT / "data/nlu" / f"{form}.yml")
    ]


def _trained_intents() -> set[str]:
    intents = set(yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))["intents"])
    return intents - {"nlu_fallback"}  # predicted by the FallbackClassifier, never written


@pytest.mark.parametrize("form", FORMS)
def test_every_intent_has_at_least_30_examples_in_every_form(form):
    counts = Counter(intent for example_form, intent, _ in _training() if example_form == form)
    assert {intent for intent in _trained_intents() if counts[intent] < 30} == set()


def test_no_text_is_labelled_with_two_intents():
    labels = defaultdict(set)
    for _, intent, text in _training():
        labels[comparable(text)].add(intent)
    assert {text: intents for text, intents in labels.items() if len(intents) > 1} == {}


def test_no_held_out_message_is_in_the_training_data():
    training = {comparable(text) for _, _, text in _training()}
    held_out = {
        comparable(text) for form in FORMS for _, text in examples(PROJECT_ROOT / "tests/eval/nlu" / f"{form}.yml")
    }
    assert held_out & training == set()
