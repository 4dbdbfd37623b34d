"""NLU quality report: 5-fold cross-validation over all data and a held-out test, per language form."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from sklearn.metrics import ConfusionMatrixDisplay, precision_recall_fscore_support

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bot.language.forms import FORMS  # noqa: E402
from bot.language.nlu_data import examples  # noqa: E402
from bot.ops.training import ensure_model  # noqa: E402

REPORTS = ROOT / "reports" / "nlu"
RASA_ENV = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}
# Rasa's cross-validation shuffles its folds with numpy's global random state: seeding it makes the folds repeatable.
SEEDED_RASA = "import sys, numpy; numpy.random.seed(0); from rasa.__main__ import main; sys.argv[0] = 'rasa'; main()"


def rasa_test(out: Path, *args: str) -> list[dict]:
    """Run `rasa test nlu` and return every prediction (successes and errors)."""
    command = [sys.executable, "-c", SEEDED_RASA, "test", "nlu", "--out", str(out), "--successes", *args]
    subprocess.run(command, check=True, cwd=ROOT, env=RASA_ENV)
    predictions = []
    for name in ("intent_successes.json", "intent_errors.json"):
        path = out / name
        if path.exists():
            predictions.extend(json.loads(path.read_text()))
    return predictions


def forms_of_text(folder: Path) -> dict[str, list[str]]:
    """Map every example text of the NLU files in a folder to the language forms whose file holds it.

    Rasa drops duplicate examples, so a text written in two files ("hello" in en and bn_latn) is predicted once;
    that prediction counts in each of its forms, not only in the last file read.
    """
    forms: dict[str, list[str]] = defaultdict(list)
    for form in FORMS:
        for _, text in examples(folder / f"{form}.yml"):
            if form not in forms[text]:
                forms[text].append(form)
    return forms


def table(predictions: list[dict], forms: dict[str, list[str]], title: str, image: Path) -> str:
    """A markdown table of macro and per-intent F1 for all data and each form; saves a confusion matrix."""
    by_form: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for item in predictions:
        pair = (item["intent"], (item.get("intent_prediction") or {}).get("name") or "None")
        by_form["all"].append(pair)
        for form in forms.get(item["text"]) or ["unknown"]:
            by_form[form].append(pair)
    intents = sorted({truth for truth, _ in by_form["all"]})
    columns = ["all", *FORMS]
    lines = [f"### {title}", "", "| intent | " + " | ".join(f"F1 {c}" for c in columns) + " |"]
    lines.append("|---" * (len(columns) + 1) + "|")
    scores = {}
    for column in columns:
        truth, predicted = zip(*by_form[column], strict=True) if by_form[column] else ((), ())
        _, _, f1, _ = precision_recall_fscore_support(truth, predicted, labels=intents, zero_division=0)
        macro = precision_recall_fscore_support(truth, predicted, labels=intents, average="macro", zero_division=0)
        scores[column] = (dict(zip(intents, f1, strict=True)), macro, len(truth))
    for intent in intents:
        lines.append(f"| {intent} | " + " | ".join(f"{scores[c][0][intent]:.3f}" for c in columns) + " |")
    for label, index in (("macro precision", 0), ("macro recall", 1), ("macro F1", 2)):
        lines.append(f"| **{label}** | " + " | ".join(f"**{scores[c][1][index]:.3f}**" for c in columns) + " |")
    lines.append("| examples | " + " | ".join(str(scores[c][2]) for c in columns) + " |")
    truth, predicted = zip(*by_form["all"], strict=True)
    figure, axes = plt.subplots(figsize=(14, 12))
    ConfusionMatrixDisplay.from_predictions(
        truth, predicted, labels=intents, ax=axes, xticks_rotation="vertical", colorbar=False
    )
    axes.set_title(title)
    figure.tight_layout()
    figure.savefig(image)
    plt.close(figure)
    return "\n".join(lines) + f"\n\nConfusion matrix: `{image.relative_to(ROOT)}`\n"


def main() -> int:
    """Run both evaluations and write reports/nlu/summary.md."""
    REPORTS.mkdir(parents=True, exist_ok=True)
    model = ensure_model()
    holdout = rasa_test(REPORTS / "holdout", "--nlu", "tests/eval/nlu", "--model", str(model))
    cross = rasa_test(
        REPORTS / "cross_validation",
        "--nlu",
        "data/nlu",
        "--config",
        "config.yml",
        "--cross-validation",
        "--folds",
        "5",
    )
    summary = "\n".join(
        [
            "# NLU report",
            "",
            table(cross, forms_of_text(ROOT / "data" / "nlu"), "5-fold cross-validation", REPORTS / "cv_confusion.png"),
            table(
                holdout,
                forms_of_text(ROOT / "tests" / "eval" / "nlu"),
                "Held-out messages (tests/eval/nlu), model trained on all data",
                REPORTS / "holdout_confusion.png",
            ),
        ]
    )
    (REPORTS / "summary.md").write_text(summary)
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
