"""Which language form a message is written in: English (en), Bengali script (bn) or romanised Bengali (bn_latn)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from langdetect import DetectorFactory, LangDetectException, detect_langs

FORMS = ("en", "bn", "bn_latn")
# The form used when nothing is known yet about how the person writes.
DEFAULT_FORM = "en"
BENGALI_LETTER = re.compile(r"[\u0980-\u09FF]")
LATIN_WORD = re.compile(r"[a-z]+")
# langdetect is unreliable on short texts: below this many words or this probability it does not decide.
LANGDETECT_MIN_WORDS = 4
LANGDETECT_MIN_PROBABILITY = 0.80
ROMANISED_SHARE = 0.25

# Frequent words of romanised Bengali that are not English words, in the spellings people use on phones.
ROMANISED_WORDS = frozenset(
    """
    ami amii ame amar amr amake amare amk amra amader apni apnar apnara apne tumi tomar tmr tui tor se tar tader
    ki kii kivabe kibhabe kibabe kibave kemne kemon keno kno kon konta kothay kotha koi koto kto koyto kobe
    ache ase aase achhe asey nai nei na nah hoy hobe hbe hoiche hoise hoyeche hoye holo hocche hosse
    korbo korbe korte korche korse kori koren koro korchi korsi kore korle korben korlam korsilam
    dibo dibe dite dey dei dilo dise diye niye nibe nilo nise neya nite jabo jete jai jay gelo geche gese giye
    chai chay chacche chaise lagbe lgbe lagbay lage lagse lagche bolen bolo bolse bolche bolte janan janaben
    jante jani janina bujhi bujhina bujte dekhi dekhen dekhte thik thk valo bhalo
    baba abba amma chele meye bou swami poisa hajar mash bochor kaj chakri
    malik bidesh bideshe desh deshe firte ashbo asbo ashte aste jodi tahole tobe kintu ar
    ebong ekhon akhon tokhon pore shathe sathe jonno jonne theke hote porjonto moddhe upor niche
    khub onek ektu kichu kisu sob shob keu kauke kar kake eta ota ei oi shei sei er re thake thakbe thakle
    pabo paben parbo parben pari parina dorkar soho ferot asha lok jaite jaoa jawa gelam gechi aj ajke kalke
    dhonnobad dhonnobaad nomoskar
    """.split()
)


@dataclass(frozen=True)
class Detection:
    """A language form, and whether the text itself was clear enough to decide it."""

    form: str
    confident: bool


def normalise_form(value: str | None) -> str | None:
    """Map user spellings of a form ("BN-LATN", "bn_latn", "EN") to a form name, or None."""
    if not value:
        return None
    key = value.strip().lower().replace("-", "_")
    return key if key in FORMS else None


def romanised_share(text: str) -> float:
    """The share of Latin words in the text that are romanised-Bengali words."""
    words = LATIN_WORD.findall(text.lower())
    if not words:
        return 0.0
    return sum(word in ROMANISED_WORDS for word in words) / len(words)


def _english_by_langdetect(text: str) -> bool:
    if len(LATIN_WORD.findall(text.lower())) < LANGDETECT_MIN_WORDS:
        return False
    DetectorFactory.seed = 0
    try:
        candidates = detect_langs(text)
    except LangDetectException:
        return False
    return any(c.lang == "en" and c.prob >= LANGDETECT_MIN_PROBABILITY for c in candidates)


def detect(text: str) -> Detection:
    """Detect the form from the text alone: script first, then romanised-Bengali words, then langdetect."""
    if BENGALI_LETTER.search(text):
        return Detection("bn", True)
    share = romanised_share(text)
    if share >= ROMANISED_SHARE:
        return Detection("bn_latn", True)
    if share == 0 and _english_by_langdetect(text):
        return Detection("en", True)
    return Detection("en" if share == 0 else "bn_latn", False)


def choose_form(text: str, preference: str | None) -> Detection:
    """The form to answer in: what the text clearly is, else the person's stored preference, else the guess."""
    detection = detect(text)
    if detection.confident or not preference:
        return detection
    return Detection(preference, False)


TO_BENGALI_DIGITS = str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")
TO_LATIN_DIGITS = str.maketrans("০১২৩৪৫৬৭৮৯", "0123456789")


def localise_digits(text: str, form: str | None) -> str:
    """Write every digit the way the form does, one system per text: Bengali digits in Bengali script, else Latin."""
    return text.translate(TO_BENGALI_DIGITS) if form == "bn" else latin_digits(text)


def latin_digits(text: str) -> str:
    """The text with Bengali digits written as Latin digits, for reading numbers people type."""
    return text.translate(TO_LATIN_DIGITS)
