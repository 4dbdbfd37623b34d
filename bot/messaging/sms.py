"""SMS segment arithmetic with the real GSM 03.38 alphabets: GSM-7 (160/153 per segment) or UCS-2 (70/67)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.language.forms import DEFAULT_FORM

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# Characters of the extension table: each costs two septets (escape + character).
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")
LIMITS = {"GSM-7": (160, 153), "UCS-2": (70, 67)}


@dataclass(frozen=True)
class SegmentCount:
    """How a text travels as SMS: its encoding, its length in units of that encoding, and its segments."""

    encoding: str
    units: int
    segments: int


def is_gsm7(text: str) -> bool:
    """True when every character of the text is in the GSM-7 basic or extension table."""
    return all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text)


def _unit_costs(text: str, encoding: str) -> list[int]:
    if encoding == "GSM-7":
        return [2 if char in GSM7_EXTENSION else 1 for char in text]
    # UCS-2 on the wire is UTF-16: a character outside the BMP (most emoji) takes two units.
    return [2 if ord(char) > 0xFFFF else 1 for char in text]


def count_segments(text: str) -> SegmentCount:
    """Count the segments of a text; a character pair (escape, surrogates) is never split across segments."""
    encoding = "GSM-7" if is_gsm7(text) else "UCS-2"
    single, per_part = LIMITS[encoding]
    costs = _unit_costs(text, encoding)
    units = sum(costs)
    if units <= single:
        return SegmentCount(encoding, units, 1 if text else 0)
    segments, used = 1, 0
    for cost in costs:
        if used + cost > per_part:
            segments, used = segments + 1, 0
        used += cost
    return SegmentCount(encoding, units, segments)


MORE_PROMPT = {"en": "Reply MORE", "bn": "আরো জানতে MORE লিখুন", "bn_latn": "Aro jante MORE likhun"}
_BREAKS = re.compile(r"(?<=[.!?।:;])\s+|\n+")


def _pieces(text: str) -> list[str]:
    """The text split after sentence ends and at line breaks, each piece keeping its words."""
    return [piece for piece in _BREAKS.split(text) if piece.strip()]


def fits(text: str, budget: int) -> bool:
    """True when the text travels in at most `budget` segments."""
    return count_segments(text).segments <= budget


def paginate(text: str, budget: int, form: str) -> list[str]:
    """Cut a reply into pages of at most `budget` segments at sentence or line ends; all but the last end in MORE."""
    if fits(text, budget):
        return [text]
    prompt = MORE_PROMPT.get(form, MORE_PROMPT[DEFAULT_FORM])
    pages: list[str] = []
    current = ""
    for piece in _pieces(text):
        for part in _split_long(piece, budget, prompt):
            candidate = f"{current} {part}".strip()
            if current and not fits(f"{candidate}\n{prompt}", budget):
                pages.append(f"{current}\n{prompt}")
                candidate = part
            current = candidate
    if current:
        pages.append(current)
    return pages


def _split_long(piece: str, budget: int, prompt: str) -> list[str]:
    """A piece too long for one page, cut between words (a sentence longer than a page is rare but possible)."""
    if fits(f"{piece}\n{prompt}", budget):
        return [piece]
    parts, current = [], ""
    for word in piece.split():
        candidate = f"{current} {word}".strip()
        if current and not fits(f"{candidate}\n{prompt}", budget):
            parts.append(current)
            candidate = word
        current = candidate
    return [*parts, current] if current else parts
