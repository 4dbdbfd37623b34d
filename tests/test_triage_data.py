"""The triage evaluation set is apart from everything trained on, big enough, and balanced as the issue asks."""

from collections import Counter

import pytest
import yaml

from bot.language.forms import FORMS
from bot.language.nlu_data import comparable
from bot.language.triage import DANGER_NOW, NO, training_examples
from bot.settings import PROJECT_ROOT

EVAL_DIR = PROJECT_ROOT / "tests" / "eval" / "triage"


def evaluation(form: str) -> list[dict]:
    return yaml.safe_load((EVAL_DIR / f"{form}.yml").read_text(encoding="utf-8"))["messages"]


def test_no_evaluation_message_is_trained_on():
    trained = {comparable(text) for text, _ in training_examples()}
    overlap = [item["text"] for form in FORMS for item in evaluation(form) if comparable(item["text"]) in trained]
    assert overlap == []


@pytest.mark.parametrize("form", FORMS)
def test_each_form_has_a_third_half_of_it_danger_each_with_a_tag(form):
    items = evaluation(form)
    labels = Counter(item["label"] for item in items)
    assert len(items) >= 200 and set(labels) == {DANGER_NOW, NO}
    assert 0.4 <= labels[DANGER_NOW] / len(items) <= 0.6
    assert all(item.get("tag") for item in items)


def test_at_least_600_evaluation_messages():
    assert sum(len(evaluation(form)) for form in FORMS) >= 600
