"""Keywords the gateway handles itself, before the bot sees the message."""

from __future__ import annotations

import re

from bot.language import normalise_form

LANGUAGE_COMMAND = re.compile(r"^\s*lang(?:uage)?\s*[:\-]?\s*(en|bn(?:[\s_\-]*latn)?)\s*[.!]?\s*$", re.IGNORECASE)


def language_choice(text: str) -> str | None:
    """The form chosen by a LANG command ("LANG EN", "lang bn-latn", "LANG BN LATN"), or None."""
    match = LANGUAGE_COMMAND.match(text)
    if not match:
        return None
    return normalise_form(re.sub(r"[\s\-]+", "_", match.group(1)))
