"""Bengali script written in Latin letters the way people text it: টাকা -> taka, ভাই -> vai, কত -> kot."""

from __future__ import annotations

import unicodedata

VIRAMA = "\u09cd"
NUKTA = "\u09bc"
VOWELS = {
    "অ": "o", "আ": "a", "ই": "i", "ঈ": "i", "উ": "u", "ঊ": "u", "ঋ": "ri", "এ": "e", "ঐ": "oi", "ও": "o", "ঔ": "ou",
}  # fmt: skip
VOWEL_SIGNS = {
    "া": "a", "ি": "i", "ী": "i", "ু": "u", "ূ": "u", "ৃ": "ri", "ে": "e", "ৈ": "oi", "ো": "o", "ৌ": "ou",
}  # fmt: skip
CONSONANTS = {
    "ক": "k", "খ": "kh", "গ": "g", "ঘ": "gh", "ঙ": "ng", "চ": "ch", "ছ": "ch", "জ": "j", "ঝ": "jh", "ঞ": "n",
    "ট": "t", "ঠ": "th", "ড": "d", "ঢ": "dh", "ণ": "n", "ত": "t", "থ": "th", "দ": "d", "ধ": "dh", "ন": "n",
    "প": "p", "ফ": "f", "ব": "b", "ভ": "v", "ম": "m", "য": "j", "র": "r", "ল": "l", "শ": "sh", "ষ": "sh",
    "স": "s", "হ": "h", "ড়": "r", "ঢ়": "r", "য়": "y",
}  # fmt: skip
OTHERS = {"ৎ": "t", "ং": "ng", "ঃ": "h", "ঁ": "", "।": "", **{chr(0x09E6 + d): str(d) for d in range(10)}}
WITH_NUKTA = {"ড": "ড়", "ঢ": "ঢ়", "য": "য়"}


def romanise(word: str) -> str:
    """Bengali letters of a word written in Latin letters as people text them; other characters are kept."""
    chars = list(unicodedata.normalize("NFC", word))
    merged: list[str] = []
    for char in chars:  # NFC splits ড় into ড + nukta: join them back
        if char == NUKTA and merged and merged[-1] in WITH_NUKTA:
            merged[-1] = WITH_NUKTA[merged[-1]]
        elif char != NUKTA:
            merged.append(char)
    out = []
    for index, char in enumerate(merged):
        if char == "য" and index and merged[index - 1] == VIRAMA:  # ya-phala: ধন্যবাদ -> dhonbad, not dhonjbad
            continue
        if char in CONSONANTS:
            out.append(CONSONANTS[char])
            # The inherent vowel, heard before another consonant only at the start and the end of a word:
            # কত -> kot, করবো -> korbo, লাগবে -> lagbe, বেতন -> beton.
            following = merged[index + 1] if index + 1 < len(merged) else ""
            if following in CONSONANTS and (index == 0 or index + 2 == len(merged)):
                out.append("o")
        elif char in VOWEL_SIGNS:
            out.append(VOWEL_SIGNS[char])
        elif char in VOWELS:
            out.append(VOWELS[char])
        elif char in OTHERS:
            out.append(OTHERS[char])
        elif char != VIRAMA:
            out.append(char)
    return "".join(out)
