"""Keywords the gateway handles itself, before the bot sees the message."""

from __future__ import annotations

import re

from bot.language.forms import latin_digits

STOP, START, HELP, MENU, MORE, DELETE = "stop", "start", "help", "menu", "more", "delete"
# A keyword works only as the whole message, so "help me my passport was taken" still reaches the bot.
KEYWORDS = {
    STOP: ("stop", "stopall", "unsubscribe", "cancel", "end", "quit", "বন্ধ", "বন্ধ করুন", "bondho", "bondho koro"),
    START: ("start", "unstop", "শুরু", "shuru", "suru"),
    HELP: ("help", "info", "সাহায্য", "sahajjo", "shahajjo"),
    MENU: ("menu", "মেনু", "topics"),
    MORE: ("more", "আরো", "আরও", "aro", "next"),
    DELETE: ("delete", "delete my data", "erase", "মুছুন", "মুছে দিন", "muchun", "muche din", "muse din"),
}
# Replies that confirm a question the gateway asked (DELETE's "are you sure?").
CONFIRMATIONS = frozenset({"yes", "y", "হ্যাঁ", "হ্যা", "জি", "ha", "haa", "hae", "hya", "ji", "yes delete"})
# Replies that say no to it; "1" and "2" answer the questions the gateway numbers ("Reply 1 yes, 2 no").
DENIALS = frozenset({"no", "n", "না", "na", "naa", "nah", "not now", "no thanks"})
_BY_WORD = {word: keyword for keyword, words in KEYWORDS.items() for word in words}

# Messages that withdraw an automatic case nobody has taken yet ("it was just a question").
WITHDRAWALS = re.compile(
    r"\b(just|only) (a |asking )?(question|asking)\b|\bfalse alarm\b|\bby mistake\b|\bnot happening\b"
    r"|\bemni(te)? (jiggesh|jigges|proshno)|\bshudhu proshno\b|\bbhul kore\b"
    r"|শুধু\s+প্রশ্ন|এমনি\s+জিজ্ঞেস|ভুল\s+করে",
    re.IGNORECASE,
)
# A LANG command is short: longer texts are not read as one at all.
MAX_COMMAND_CHARS = 40
# The command read without separators ("LANG BN-LATN", "lang:bn_latn" and "language bnlatn" all become
# "langbnlatn"): a split and a lookup, no pattern that could backtrack (one with adjacent \s* groups did).
LANGUAGE_COMMANDS = {
    f"{word}{spelling}": form
    for word in ("lang", "language")
    for spelling, form in (("en", "en"), ("bn", "bn"), ("bnlatn", "bn_latn"))
}
_COMMAND_SEPARATORS = re.compile(r"[\s:_\-]+")


def language_choice(text: str) -> str | None:
    """The form chosen by a LANG command ("LANG EN", "lang bn-latn", "LANG BN LATN"), or None."""
    if len(text) > MAX_COMMAND_CHARS:
        return None
    squeezed = _COMMAND_SEPARATORS.sub("", text.strip().rstrip(".!").lower())
    return LANGUAGE_COMMANDS.get(squeezed)


def _bare(text: str) -> str:
    return text.strip().strip(".!?।").strip().lower()


def keyword(text: str) -> str | None:
    """The keyword a whole message is (STOP, START, HELP, MENU, MORE, DELETE in any form and case), or None."""
    return _BY_WORD.get(_bare(text))


def confirms(text: str) -> bool:
    """True when the whole message says yes (YES, হ্যাঁ, ha, ji, ... as listed in CONFIRMATIONS)."""
    return _bare(text) in CONFIRMATIONS


def yes_or_no(text: str) -> bool | None:
    """The answer to a numbered yes/no question: True for 1 or yes, False for 2 or no, None for anything else."""
    bare = latin_digits(_bare(text))
    if bare == "1" or bare in CONFIRMATIONS:
        return True
    if bare == "2" or bare in DENIALS:
        return False
    return None


def withdraws(text: str) -> bool:
    """True when a short message says the alarm was a mistake ("it was just a question", "ভুল করে")."""
    return len(text) <= MAX_COMMAND_CHARS * 2 and bool(WITHDRAWALS.search(text))
