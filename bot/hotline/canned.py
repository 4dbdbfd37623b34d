"""Canned replies for counsellors: the bot's own answers (domain.yml responses) in the person's language form."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.language.forms import localise_digits
from bot.settings import PROJECT_ROOT

DOMAIN_PATH = PROJECT_ROOT / "domain.yml"
PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class CannedReply:
    """One answer a counsellor can insert: the response name and its text in one language form."""

    name: str
    text: str


@lru_cache(maxsize=4)
def _responses(path: Path) -> dict[str, list[dict]]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["responses"]


def variant(items: list[dict], form: str | None) -> str:
    """The text of the variation conditioned on this language form, else the unconditioned (English) one."""
    default = next(item["text"] for item in items if not item.get("condition"))
    for item in items:
        if any(condition.get("value") == form for condition in item.get("condition") or []):
            return item["text"]
    return default


def canned_replies(form: str | None, values: dict[str, str], path: Path = DOMAIN_PATH) -> list[CannedReply]:
    """Every response whose placeholders the given values fill, in the form, by name.

    The values (hotline numbers) are written in the form's digits, so a Bengali reply never mixes two digit systems.
    """
    local_values = {key: localise_digits(value, form) for key, value in values.items()}
    replies = []
    for name, items in sorted(_responses(path).items()):
        text = variant(items, form)
        if set(PLACEHOLDER.findall(text)) <= local_values.keys():
            replies.append(CannedReply(name.removeprefix("utter_"), text.format(**local_values)))
    return replies
