"""Read Rasa NLU YAML files (data/nlu/) into (intent, plain text) pairs, entity markup removed."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import yaml

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


def comparable(text: str) -> str:
    """The text as an overlap check sees it: NFC, case, punctuation and spacing ignored."""
    folded = unicodedata.normalize("NFC", str(text)).casefold()
    return " ".join("".join(" " if unicodedata.category(char)[0] in "PS" else char for char in folded).split())
