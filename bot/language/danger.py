"""A safety net under the NLU: words that mean someone is being harmed now, in every language form.

The statistical model misses some emergencies (short cries for help, long stories); a message matching these
patterns goes to the bot as `report_abuse` whatever the model would say, so the person gets the emergency numbers
and the case reaches the hotline. Prevention questions ("what if they keep my passport?") must not match.
"""

from __future__ import annotations

import re

# Bengali words have no \b (vowel signs are not \w): "not after a Bengali letter" marks a word start instead.
_BN = r"(?<![\u0980-\u09FF])"
_PATTERNS = [
    # English
    r"\b(beat|beats|beaten|beating|hit|hits|burn(ed|t)?|slap(ped|s)?|kick(ed|s)?)\s+(me|us|her|him|my)\b",
    r"\b(rape[ds]?|raping|sexually|molest\w*)\b",
    r"\bharass(ing|ed|es)?\s+(me|us|her)\b",
    r"\block(ed|s)?\s+(me|us|her|him|them)\b|\blocked\s+(in|up)\b|\b(keep|keeps|kept)\s+(me|us|her)\s+in\b",
    r"\b(can ?not|can'?t|cannot|not allowed to)\s+(leave|go out|get out|escape|come (home|back))\b",
    r"\b(not|won'?t|doesn'?t|don'?t)\s+(let|letting|allow(ing)?)\s+(me|us|her|him)\s+(leave|go|come)",
    r"\b(took|taken|seized|kept|keeping|snatched)\s+(my|our|her|his)\s+(phone\s+and\s+)?passports?\b",
    r"\bpassports?\s+(was|were|is|are)?\s*(taken|kept|seized|snatched)\b",
    r"\b(not|never|no)\s+(been\s+)?(paid|paying|pay|giving (me|us) (salary|money|food))\b.*\b(month|months|weeks?)\b",
    r"\bno\s+food\b|\b(threaten\w*|kill)\s+(me|us|my)\b|\bsave me\b|\bhelp\s+help\b|\bsold\s+(me|us|her)\b",
    r"\bforc(e|ed|es|ing)\s+(me|us|him|her|them)\b|\bno\s+(rest|sleep)\b|\bslaves?\b|\bslavery\b|\bwant\s+to\s+die\b",
    r"\b(took|taken|kept)\s+(his|her|their|our|my)\s+(iqama|id|passport)|\btook\s+(the\s+)?passports\b",
    r"\block(ed|s)?\s+(the\s+)?door\b|\blocked\s+inside\b|\btouch(ed|es|ing)\s+(me|her)\b|\bcomes?\s+to\s+my\s+room",
    r"\bno\s+salary\b.*\bmonths?\b|\bmonths?\s+(no|without)\s+(salary|pay)\b|\bnot\s+giv(e|es|ing)\s+(me\s+|us\s+|him\s+|her\s+)?(salary|food|treatment)",
    r"\b(jail|police)\b.*\bif\s+(you|i|we)\b|\bhungry\b",
    r"\b(is|went|gone|been|now|still)\s+missing\b|\bmissing\s+(since|for|in)\b|\bno\s+news\s+(from|of|since|for)\b",
    # Romanised Bengali
    r"\bmar(e|se|che|lo|ce|ciche|tese|bo|be|ar|dhor)\b|\bmaira\b|\bmarte\s",
    r"\ba?tk(e|a|ai|ay|aiya|iye|aye)\s+(rakh|rekh)|\btala\s+(diye|dia|mere)",
    r"\bpassport\s+(o\s+)?(niye|nie|nia|nise|nilo|kere|rekhe|rakhse|rakhche|atke|dey\s+na|dicche\s+na)",
    r"\b(beton|salary|taka)\s+(o\s+)?(dey|dei|dicche|dise|pai|pacchi)\s+na\b",
    r"\bkhe?(te|aite|abar|abar o)\s+(dey|dei|dicche)\s+nai?\b|\bbachan\b|\bbachao\b|\bpala(ite|te|y|iye|i)\b",
    r"\bkharap\s+kaj\b|\bgaye\s+hat\b|\b(amake|amare|amader|oke|ore)\s+bikri\b|\bhumki\b|\bjoo?r\s+kore\b|\bmaridhor|\bnirjaton",
    r"\bghum(a|ai)te\s+dey\s+na\b|\bber\s+ho(i)?te\s+(dey|dicche|parchi|pari)\s+na\b|\bkhabar\s+(o\s+)?nai\b",
    r"\b(beton|salary)\s+(o\s+)?(nai|pai\s+nai)\b|\bpay\s+kore\s+na\b|\bmere\s+fel|\bhmki\b|\batk(e|a)\s+(achi|ase|ache)",
    r"\bdorja\s+bondho\s+kore\s+rakh|\bhospital\s*e?\s+niye\s+jay\s+na\b|\bash(te|ite)\s+dib(e|o)\s+na\b|\bjete\s+(dey|dicche|dibe)\s+na\b",
    r"\bnikhoj\b|\bkhu?j(e|ei)\s+(pacchi|paitesi|paitasi|pai)\s+na\b|\bkono\s+khoj\s+nai\b",
    r"\bkere\s+(nise|nilo|niyeche)\b|\b(jail|jel|police)\s*e?\s+(dibe|dhoriye|dhorbe|dhoraye)|\bbikri\s+kore\s+dis",
    # Bengali script
    rf"{_BN}মার(ে|তেছে|তেছেন|ধর|ছে|লো|তো|বে|ছিল|ছে)|{_BN}পিটা",
    r"আটক\S*\s+(\S+\s+)?(রাখ|রেখ)|তালা\s*(দিয়|দিয়া|মেরে)",
    r"পাসপোর্ট\S*\s+(\S+\s+)?(নিয়|নিয়া|নিছে|রেখে|রাখছে|রাখছ|কেড়ে|আটক|দেয়\s*না|দিচ্ছে\s*না)",
    r"(বেতন|টাকা)\s+(\S+\s+)?(দেয়\s*না|দিচ্ছে\s*না|পাই\s*না|দেয়না)",
    r"খা(বার|ওয়া|ইতে|তে)\s+(\S+\s+)?(দেয়\s*না|দেয়না|নাই)|(বাঁচান|বাচান)(?![\u0980-\u09FF])|পালা(তে|ইতে|ই)",
    r"খারাপ\s+(কাজ|ব্যবহার)|গায়ে\s+হাত|বিক্রি|হুমকি|জোর\s+করে|বিপদে",
    r"ঘুমা(ইতে|তে)\s+দেয়\s*না|(বের\s+হ(ইতে|তে)|যাইতে|যেতে)\s+দে(য়|য়|বে|বো|িবো|ি)\s*না|যাইতে\s+দিবো\s+না",
    r"বেতন\s+(পায়|পাই)\s+নাই|খাবার(ের\s+টাকা)?\s+নাই|জেলে\s+দিবে|পুলিশে\s+ধর|ভয়\s+দেখা|আটকা(?![\u0980-\u09FF])|কিনছে",
    r"নিখোঁজ|খুঁজে\s+পা(চ্ছি|ইতেছি|ই)\s*না|কোনো?\s+খোঁজ\s+(নাই|নেই|পাই\s*না)",
    r"বিশ্রাম\s+নাই|চিকিৎসা\s+দেয়\s*না|রাতে\s+(\S+\s+)?রুমে\s+আসে|না\s+দিলে\s+ছাড়বে\s+না",
]
DANGER = re.compile("|".join(f"(?:{pattern})" for pattern in _PATTERNS), re.IGNORECASE)
MAX_SCAN_CHARS = 2000


def danger_signal(text: str) -> bool:
    """True when the text says someone is being harmed or held now."""
    return bool(DANGER.search(text[:MAX_SCAN_CHARS]))
