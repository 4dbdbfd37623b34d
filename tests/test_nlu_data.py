"""The NLU examples: every file of one form, enough examples per intent and form, one label per text, none held out."""

from collections import Counter, defaultdict

import pytest
import yaml

from bot.language.forms import FORMS
from bot.language.nlu_data import NLU_DIR, comparable, form_examples, form_of_file
from bot.settings import PROJECT_ROOT


def _training() -> list[tuple[str, str, str]]:
    return [(form, intent, text) for form in FORMS for intent, text in form_examples(NLU_DIR, form)]


def _trained_intents() -> set[str]:
    intents = set(yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))["intents"])
    return intents - {"nlu_fallback"}  # predicted by the FallbackClassifier, never written


def test_every_example_file_holds_one_language_form():
    # A file named outside the <form>.yml / <topic>_<form>.yml pattern would be trained on but never checked here.
    assert {path.name for path in NLU_DIR.glob("*.yml") if form_of_file(path) is None} == {"regex.yml"}


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
    held_out = {comparable(text) for form in FORMS for _, text in form_examples(PROJECT_ROOT / "tests/eval/nlu", form)}
    assert held_out & training == set()
