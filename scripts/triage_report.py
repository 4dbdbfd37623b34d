"""Triage on the evaluation set (tests/eval/triage/, never trained on), beside a plain TF-IDF + logistic regression.

Both are trained on data/triage/*.yml. Prints a table per language form and writes it, the misses and the false
alarms to reports/triage/. Run with `make triage-report`.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bot.language.baseline import tfidf_logistic_regression  # noqa: E402
from bot.language.forms import FORMS  # noqa: E402
from bot.language.triage import DANGER_NOW, MAYBE, train, training_examples, triage  # noqa: E402

EVAL_DIR = ROOT / "tests" / "eval" / "triage"
REPORTS = ROOT / "reports" / "triage"


def evaluation(form: str) -> list[tuple[str, str, str]]:
    """(text, label, tag) of the evaluation set of one form."""
    items = yaml.safe_load((EVAL_DIR / f"{form}.yml").read_text(encoding="utf-8"))["messages"]
    return [(str(item["text"]), str(item["label"]), str(item.get("tag", ""))) for item in items]


def baseline(examples: list[tuple[str, str]]):
    """TF-IDF of words and word pairs + logistic regression on the same examples: danger_now or no, nothing between."""
    texts, labels = zip(*examples, strict=True)
    model = tfidf_logistic_regression(char_ngrams=None).fit(texts, labels)
    return lambda text: model.predict([text])[0]


def figures(outcomes: list[tuple[str, str]]) -> dict[str, float]:
    """Recall of danger_now (strict), reach (danger_now or maybe), false urgent rate and maybe share."""
    counts = Counter(outcomes)
    danger = sum(n for (label, _), n in counts.items() if label == DANGER_NOW)
    other = len(outcomes) - danger
    return {
        "recall": counts[(DANGER_NOW, DANGER_NOW)] / danger,
        "reach": (counts[(DANGER_NOW, DANGER_NOW)] + counts[(DANGER_NOW, MAYBE)]) / danger,
        "false urgent": sum(n for (label, level), n in counts.items() if label != DANGER_NOW and level == DANGER_NOW)
        / other,
        "maybe": sum(n for (_, level), n in counts.items() if level == MAYBE) / len(outcomes),
    }


def main() -> None:
    """Train both, evaluate per form, print and write the report."""
    examples = training_examples()
    ours, plain = train(examples), baseline(examples)
    REPORTS.mkdir(parents=True, exist_ok=True)
    header = "| form | n | recall | reach (urgent or maybe) | false urgent | maybe | baseline recall | baseline false urgent |"  # noqa: E501
    lines = [header, "|---|---|---|---|---|---|---|---|"]
    misses, alarms = [], []
    for form in FORMS:
        items = evaluation(form)
        decided = [(label, triage(text, ours).level) for text, label, _ in items]
        base = [(label, plain(text)) for text, label, _ in items]
        mine, theirs = figures(decided), figures(base)
        lines.append(
            f"| {form} | {len(items)} | {mine['recall']:.3f} | {mine['reach']:.3f} | {mine['false urgent']:.3f} | "
            f"{mine['maybe']:.3f} | {theirs['recall']:.3f} | {theirs['false urgent']:.3f} |"
        )
        for (text, label, tag), (_, level) in zip(items, decided, strict=True):
            if label == DANGER_NOW and level != DANGER_NOW:
                misses.append(f"{form}\t{level}\t{tag}\t{text}")
            if label != DANGER_NOW and level == DANGER_NOW:
                alarms.append(f"{form}\t{tag}\t{text}")
    table = "\n".join(lines)
    print(table)
    (REPORTS / "summary.md").write_text(table + "\n", encoding="utf-8")
    (REPORTS / "misses.tsv").write_text("\n".join(misses) + "\n", encoding="utf-8")
    (REPORTS / "false_alarms.tsv").write_text("\n".join(alarms) + "\n", encoding="utf-8")
    print(f"{len(misses)} danger messages not urgent, {len(alarms)} false urgent: see {REPORTS.relative_to(ROOT)}/")


if __name__ == "__main__":
    main()
