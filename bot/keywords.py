"""Keywords the gateway handles itself, before the bot sees the message."""

from __future__ import annotations

import re

from bot.language import normalise_form

STOP, START, HELP, MENU, MORE = "stop", "start", "help", "menu", "more"
# A keyword works only as the whole message, so "help me my passport was taken" still reaches the bot.
KEYWORDS = {
    STOP: ("stop", "stopall", "unsubscribe", "cancel", "end", "quit", "বন্ধ", "বন্ধ করুন", "bondho", "bondho koro"),
    START: ("start", "unstop", "শুরু", "shuru", "suru"),
    HELP: ("help", "info", "সাহায্য", "sahajjo", "shahajjo"),
    MENU: ("menu", "মেনু", "topics"),
    MORE: ("more", "আরো", "আরও", "aro", "next"),
}
_BY_WORD = {word: keyword for keyword, words in KEYWORDS.items() for word in words}

LANGUAGE_COMMAND = re.compile(r"^\s*lang(?:uage)?\s*[:\-]?\s*(en|bn(?:[\s_\-]*latn)?)\s*[.!]?\s*$", re.IGNORECASE)


def language_choice(text: str) -> str | None:
    """The form chosen by a LANG command ("LANG EN", "lang bn-latn", "LANG BN LATN"), or None."""
    match = LANGUAGE_COMMAND.match(text)
    if not match:
        return None
    return normalise_form(re.sub(r"[\s\-]+", "_", match.group(1)))


def keyword(text: str) -> str | None:
    """The keyword a whole message is (STOP, START, HELP, MENU, MORE in any form and case), or None."""
    return _BY_WORD.get(text.strip().strip(".!?।").strip().lower())
