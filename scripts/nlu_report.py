"""NLU quality report: 5-fold cross-validation over all data and a held-out test, per language form.

The cross-validation trains the parts of config.yml that decide an intent, the intent classifier
(rasa_addons/tfidf_intents.py) and the fallback, on seeded folds in this process (DIET tags entities only, so it never
changes an intent; Rasa's own cross-validation also scores every training fold, which took an hour). The held-out
test runs the whole trained model through `rasa test nlu`. A plain baseline (bot/language/baseline.py: TF-IDF of words
and characters, logistic regression) is trained and tested on exactly the same folds and held-out messages; its macro
F1 is printed beside the model's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import matplotlib
import yaml

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.metrics import ConfusionMatrixDisplay, precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bot.language.baseline import tfidf_logistic_regression  # noqa: E402
from bot.language.forms import FORMS  # noqa: E402
from bot.language.nlu_data import NLU_DIR, form_examples  # noqa: E402
from bot.ops.training import ensure_model  # noqa: E402
from rasa_addons.tfidf_intents import TfidfIntentClassifier  # noqa: E402

REPORTS = ROOT / "reports" / "nlu"
RASA_ENV = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}
FOLDS = 5
INTENT_COMPONENT = "rasa_addons.tfidf_intents.TfidfIntentClassifier"


def rasa_test(out: Path, *args: str) -> list[dict]:
    """Run `rasa test nlu` and return every prediction (successes and errors)."""
    command = [sys.executable, "-m", "rasa", "test", "nlu", "--out", str(out), "--successes", *args]
    subprocess.run(command, check=True, cwd=ROOT, env=RASA_ENV)
    predictions = []
    for name in ("intent_successes.json", "intent_errors.json"):
        path = out / name
        if path.exists():
            predictions.extend(json.loads(path.read_text()))
    return predictions


def component_config(name: str) -> dict:
    """The settings config.yml gives a pipeline component."""
    pipeline = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))["pipeline"]
    return next({k: v for k, v in item.items() if k != "name"} for item in pipeline if item["name"] == name)


def model_predictions(train: list[list[str]], test: list[list[str]]) -> list[dict]:
    """The intent classifier and the fallback of config.yml fitted on (text, intent) pairs, on others, as Rasa's."""
    intents = {**TfidfIntentClassifier.get_default_config(), **component_config(INTENT_COMPONENT)}
    fallback = {**FallbackClassifier.get_default_config(), **component_config("FallbackClassifier")}
    with tempfile.TemporaryDirectory() as directory:
        storage = LocalModelStorage(Path(directory))
        classifier = TfidfIntentClassifier.create(intents, storage, Resource("intents"), None)
        classifier.train(TrainingData([Message(data={"text": text, "intent": intent}) for text, intent in train]))
        messages = classifier.process([Message(data={"text": text}) for text, _ in test])
        messages = FallbackClassifier.create(fallback, storage, Resource("fallback"), None).process(messages)
    return [
        {"text": text, "intent": intent, "intent_prediction": {"name": message.get("intent")["name"]}}
        for (text, intent), message in zip(test, messages, strict=True)
    ]


def folds_of(pairs: list[list[str]]) -> list[dict]:
    """FOLDS seeded, stratified folds of (text, intent) pairs: [{"train": [...], "test": [...]}, ...]."""
    splitter = StratifiedKFold(FOLDS, shuffle=True, random_state=0)
    labels = [intent for _, intent in pairs]
    return [
        {"train": [pairs[i] for i in train], "test": [pairs[i] for i in test]}
        for train, test in splitter.split(pairs, labels)
    ]


def baseline_predictions(train: list[list[str]], test: list[list[str]]) -> list[dict]:
    """The baseline fitted on (text, intent) pairs and its predictions on others, shaped like Rasa's."""
    model = tfidf_logistic_regression().fit([text for text, _ in train], [intent for _, intent in train])
    predicted = model.predict([text for text, _ in test]) if test else []
    return [
        {"text": text, "intent": intent, "intent_prediction": {"name": str(guess)}}
        for (text, intent), guess in zip(test, predicted, strict=True)
    ]


def forms_of_text(folder: Path) -> dict[str, list[str]]:
    """Map every example text of the NLU files in a folder to the language forms whose files hold it.

    Rasa drops duplicate examples, so a text written in two forms ("hello" in en and bn_latn) is predicted once;
    that prediction counts in each of its forms, not only in the last file read.
    """
    forms: dict[str, list[str]] = defaultdict(list)
    for form in FORMS:
        for _, text in form_examples(folder, form):
            if form not in forms[text]:
                forms[text].append(form)
    return forms


COLUMNS = ["all", *FORMS]


def scores(predictions: list[dict], forms: dict[str, list[str]]) -> tuple[list[str], dict[str, tuple]]:
    """The intents, and per column (all data, each form): per-intent F1, macro (precision, recall, F1) and count."""
    by_form: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for item in predictions:
        pair = (item["intent"], (item.get("intent_prediction") or {}).get("name") or "None")
        by_form["all"].append(pair)
        for form in forms.get(item["text"]) or ["unknown"]:
            by_form[form].append(pair)
    intents = sorted({truth for truth, _ in by_form["all"]})
    result = {}
    for column in COLUMNS:
        truth, predicted = zip(*by_form[column], strict=True) if by_form[column] else ((), ())
        _, _, f1, _ = precision_recall_fscore_support(truth, predicted, labels=intents, zero_division=0)
        macro = precision_recall_fscore_support(truth, predicted, labels=intents, average="macro", zero_division=0)
        result[column] = (dict(zip(intents, f1, strict=True)), macro, len(truth))
    return intents, result


def table(predictions: list[dict], forms: dict[str, list[str]], title: str, image: Path) -> str:
    """A markdown table of macro and per-intent F1 for all data and each form; saves a confusion matrix."""
    intents, result = scores(predictions, forms)
    lines = [f"### {title}", "", "| intent | " + " | ".join(f"F1 {c}" for c in COLUMNS) + " |"]
    lines.append("|---" * (len(COLUMNS) + 1) + "|")
    for intent in intents:
        lines.append(f"| {intent} | " + " | ".join(f"{result[c][0][intent]:.3f}" for c in COLUMNS) + " |")
    for label, index in (("macro precision", 0), ("macro recall", 1), ("macro F1", 2)):
        lines.append(f"| **{label}** | " + " | ".join(f"**{result[c][1][index]:.3f}**" for c in COLUMNS) + " |")
    lines.append("| examples | " + " | ".join(str(result[c][2]) for c in COLUMNS) + " |")
    truth = [item["intent"] for item in predictions]
    predicted = [(item.get("intent_prediction") or {}).get("name") or "None" for item in predictions]
    figure, axes = plt.subplots(figsize=(14, 12))
    ConfusionMatrixDisplay.from_predictions(
        truth, predicted, labels=intents, ax=axes, xticks_rotation="vertical", colorbar=False
    )
    axes.set_title(title)
    figure.tight_layout()
    figure.savefig(image)
    plt.close(figure)
    return "\n".join(lines) + f"\n\nConfusion matrix: `{image.relative_to(ROOT)}`\n"


def comparison(rows: list[tuple[str, list[dict], dict[str, list[str]]]]) -> str:
    """A markdown table of macro F1 per column, one row per (label, predictions, forms of their texts)."""
    lines = [
        "### Macro F1: the model beside the plain baseline (TF-IDF words 1-2 + characters 2-5, logistic regression)",
        "",
        "| evaluation | " + " | ".join(COLUMNS) + " |",
        "|---" * (len(COLUMNS) + 1) + "|",
    ]
    for label, predictions, forms in rows:
        _, result = scores(predictions, forms)
        lines.append(f"| {label} | " + " | ".join(f"{result[c][1][2]:.3f}" for c in COLUMNS) + " |")
    return "\n".join(lines) + "\n"


def main() -> int:
    """Run both evaluations for the model and the baseline and write reports/nlu/summary.md."""
    REPORTS.mkdir(parents=True, exist_ok=True)
    model = ensure_model()
    holdout = rasa_test(REPORTS / "holdout", "--nlu", "tests/eval/nlu", "--model", str(model))
    everything = list(
        {text: [text, intent] for form in FORMS for intent, text in form_examples(NLU_DIR, form)}.values()
    )
    folds = folds_of(everything)
    cross = [item for fold in folds for item in model_predictions(fold["train"], fold["test"])]
    base_cross = [item for fold in folds for item in baseline_predictions(fold["train"], fold["test"])]
    base_holdout = baseline_predictions(everything, [[item["text"], item["intent"]] for item in holdout])
    training_forms = forms_of_text(ROOT / "data" / "nlu")
    held_out_forms = forms_of_text(ROOT / "tests" / "eval" / "nlu")
    summary = "\n".join(
        [
            "# NLU report",
            "",
            comparison(
                [
                    ("5-fold cross-validation, model", cross, training_forms),
                    ("5-fold cross-validation, baseline", base_cross, training_forms),
                    ("held-out, model", holdout, held_out_forms),
                    ("held-out, baseline", base_holdout, held_out_forms),
                ]
            ),
            table(cross, training_forms, "5-fold cross-validation", REPORTS / "cv_confusion.png"),
            table(
                holdout,
                held_out_forms,
                "Held-out messages (tests/eval/nlu), model trained on all data",
                REPORTS / "holdout_confusion.png",
            ),
            table(
                base_cross, training_forms, "Baseline, 5-fold cross-validation", REPORTS / "cv_confusion_baseline.png"
            ),
            table(
                base_holdout,
                held_out_forms,
                "Baseline, held-out messages, trained on all data",
                REPORTS / "holdout_confusion_baseline.png",
            ),
        ]
    )
    (REPORTS / "summary.md").write_text(summary)
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
