"""The TF-IDF intent classifier: trained and stored with the model, loaded back, ranking intents like Rasa's."""

import numpy as np
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.language.baseline import tfidf_logistic_regression
from rasa_addons.tfidf_intents import RANKING_LENGTH, TfidfIntentClassifier, classifier_text, column_major, ranking

EXAMPLES = {
    "ask_fees": ["how much to pay for saudi", "koto taka lagbe", "সৌদি যেতে কত টাকা", "fee for malaysia", "khoroch koto"],
    "ask_visa": ["is my visa real", "visa check korbo kivabe", "ভিসা আসল কিনা", "visa fake naki", "check work visa"],
}
CONFIG = TfidfIntentClassifier.get_default_config()


def stored_model(tmp_path, examples: dict[str, list[str]]) -> TfidfIntentClassifier:
    storage, resource = LocalModelStorage(tmp_path), Resource("intents")
    classifier = TfidfIntentClassifier.create(CONFIG, storage, resource, None)
    messages = [Message(data={"text": text, "intent": intent}) for intent, texts in examples.items() for text in texts]
    classifier.train(TrainingData(training_examples=messages))
    return TfidfIntentClassifier.load(CONFIG, storage, resource, None)


def test_the_ranking_is_best_first_and_cut_to_its_length():
    classes = [f"intent_{n}" for n in range(15)]
    ranked = ranking(classes, [n / 105 for n in range(15)])
    assert [item["name"] for item in ranked[:2]] == ["intent_14", "intent_13"]
    assert len(ranked) == RANKING_LENGTH and ranked[0]["confidence"] == 14 / 105


def test_bengali_script_is_read_as_written_and_romanised():
    assert classifier_text("visa check") == "visa check"
    text = classifier_text("ভিসা")
    assert text.startswith("ভিসা ") and text.split(" ", 1)[1].isascii()


def test_the_stored_model_classifies_after_loading(tmp_path):
    loaded = stored_model(tmp_path, EXAMPLES)
    [fees, visa] = loaded.process([Message(data={"text": "কত টাকা লাগবে"}), Message(data={"text": "my visa is fake?"})])
    assert fees.get("intent")["name"] == "ask_fees" and visa.get("intent")["name"] == "ask_visa"
    ranked = visa.get("intent_ranking")
    assert [item["name"] for item in ranked] == ["ask_visa", "ask_fees"]
    assert abs(sum(item["confidence"] for item in ranked) - 1.0) < 1e-6


def test_a_message_without_text_keeps_its_intent(tmp_path):
    loaded = stored_model(tmp_path, EXAMPLES)
    payload = {"name": "ask_menu", "confidence": 1.0}
    [processed] = loaded.process([Message(data={"intent": payload})])
    assert processed.get("intent") == payload


def test_training_without_two_intents_stores_nothing_and_classifies_nothing(tmp_path):
    loaded = stored_model(tmp_path, {"ask_fees": EXAMPLES["ask_fees"]})
    [processed] = loaded.process([Message(data={"text": "hello"})])
    assert processed.get("intent") is None


def test_column_major_weights_predict_the_same():
    texts = [text for texts in EXAMPLES.values() for text in texts]
    labels = [intent for intent, texts in EXAMPLES.items() for _ in texts]
    model = tfidf_logistic_regression().fit(texts, labels)
    before = model.predict_proba(texts)
    assert column_major(model).named_steps["classifier"].coef_.flags["F_CONTIGUOUS"]
    assert np.allclose(model.predict_proba(texts), before)
