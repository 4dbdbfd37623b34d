"""Read Rasa NLU YAML files (data/nlu/) into (intent, plain text) pairs, entity markup removed.

A language form's examples may be split over several files of a folder: `<form>.yml` and `<topic>_<form>.yml`
(`en.yml`, `topics_en.yml`); `form_of_file` says which form a file holds.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import yaml

from bot.language.forms import FORMS
from bot.settings import PROJECT_ROOT

ENTITY_MARKUP = re.compile(r"\[([^\]]+)\](\{[^}]*\}|\([^)]*\))")
NLU_DIR = PROJECT_ROOT / "data" / "nlu"


def examples(path: Path) -> list[tuple[str, str]]:
    """Every example of an NLU file as (intent, text)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    pairs = []
    for block in data["nlu"]:
        if "intent" not in block:
            continue
        for line in block["examples"].splitlines():
            text = line.strip().removeprefix("- ").strip()
            if text:
                pairs.append((block["intent"], ENTITY_MARKUP.sub(r"\1", text)))
    return pairs


def form_of_file(path: Path) -> str | None:
    """The language form of an NLU file named `<form>.yml` or `<topic>_<form>.yml`; None for others (regex.yml)."""
    return next((form for form in FORMS if path.stem == form or path.stem.endswith(f"_{form}")), None)


def form_files(folder: Path, form: str) -> list[Path]:
    """The NLU files of one language form in a folder, sorted by name."""
    return [path for path in sorted(folder.glob("*.yml")) if form_of_file(path) == form]


def form_examples(folder: Path, form: str) -> list[tuple[str, str]]:
    """Every example of one language form in a folder's NLU files, as (intent, text)."""
    return [pair for path in form_files(folder, form) for pair in examples(path)]


def comparable(text: str) -> str:
    """The text as an overlap check sees it: NFC, case, punctuation and spacing ignored."""
    folded = unicodedata.normalize("NFC", str(text)).casefold()
    return " ".join("".join(" " if unicodedata.category(char)[0] in "PS" else char for char in folded).split())
