"""Triage of every message: is someone in danger now (`danger_now`), perhaps (`maybe`), or is it a question (`no`)?

Two parts, read together (docs/triage.md says why):
- named cues of time and person in the three forms: hypothetical ("if", "jodi", "যদি"), past or resolved ("last
  year", "2 bochor age", "এখন ঠিক আছে"), a question about rules or news ("is it allowed", "khobor"), and happening
  now ("ekhon", "এখন", "since", "help");
- a small logistic regression over character n-grams and words of the romanised text, those cues and the danger net
  (bot.language.danger), trained when a process starts (about 5 s; nothing to download or store) on data/triage/*.yml
  and, as ordinary messages, the NLU examples of every topic question.

Urgent: the model is sure (0.50; 0.80 when a cue puts the message in a question, the past or the future), or the net
fires on a message nothing distances and the model does not find ordinary. Maybe (answer, then ask "is this happening
now?"): the model is unsure, or the net fires. No: the rest. docs/triage.md says why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import numpy as np
import yaml
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from bot.language.danger import danger_signal
from bot.language.forms import FORMS
from bot.language.nlu_data import NLU_DIR, form_examples
from bot.language.romanise import romanise
from bot.settings import PROJECT_ROOT

TRAINING_DIR = PROJECT_ROOT / "data" / "triage"
DANGER_NOW, MAYBE, NO = "danger_now", "maybe", "no"
# The custom message with which an action asks the gateway to ask "is this happening now?" after its answer.
CONFIRM_DANGER = "confirm_danger"
# The metadata in which the gateway gives the bot the words of a report it sends as the intent "/report_abuse".
REPORT_TEXT = "report_text"
# Probability of danger from which a message is urgent, and below which it is only a question; between: maybe.
URGENT_FROM = 0.50
QUESTION_BELOW = 0.20
# A message put in a question, the past or the future is urgent only when the model is this sure.
DISTANCED_URGENT_FROM = 0.80
# The danger net makes a message urgent from this lower probability.
NET_URGENT_FROM = 0.10
# NLU intents whose examples are not ordinary questions: reports of harm, asking for a person (often in distress), and
# asking where to complain about wages or abuse abroad, whose words are those of a report (as "no" they cost recall:
# en 0.958 -> 0.942 on tests/eval/triage).
NOT_ORDINARY = frozenset({"report_abuse", "request_human", "ask_complaint_abroad"})
# Triage reads the beginning of a message: cues and danger words of a long story are in its first lines.
MAX_TRIAGE_CHARS = 1000
_BN = r"(?<![\u0980-\u09FF])"

CUES = {
    "hypothetical": re.compile(
        r"\bif\b|\bin case\b|\bsuppose\b|\bwhat (should|can|do|will) (i|we|you|they) do\b|\bwhat happens\b"
        r"|\bbefore (i |we )?(go|going|leav|fly)|\b(plan|planning|want|wants|going) to go\b|\bwill go\b"
        r"|\bincase\b|\bwhat options\b|\bwill (the )?police help\b"
        r"|\bjodi\b|\bjdi\b|\bjodio\b|\b(jawar|jaoar|jabar|jaowar)\s+age\b|\bjete\s+chai|\bjaite\s+chai|\btahole\b"
        r"|\bdhoren\b|\bdhoro\b"
        rf"|{_BN}যদি|{_BN}জদি|{_BN}ধরেন(?![\u0980-\u09FF])|যাওয়ার\s+আগে|যাবার\s+আগে|যেতে\s+চা|যাইতে\s+চা|তাহলে|তাইলে",
        re.IGNORECASE,
    ),
    "past": re.compile(
        r"\blast (year|month|time|week)\b|\b\d+\s*(years?|months?|yrs?)\s+ago\b|\bago\b|\bused to\b|\b(19|20)\d\d\b"
        r"|\bbefore but\b|\bwas (kept|locked|beaten|not paid)\b|\bwere (kept|locked|beaten|not paid)\b"
        r"|\b(goto|gato|gotobochor|gtbochor)\s+(bochor|mash|bar|sapta)|\b(bochor|mash|din)\s+age\b|\bchilo\b"
        r"|\bager\b|\bagey\b|\bonek\s+age\b|\boi\s+somoy\b|\blong ago\b|\bbefore in\b|আগের(?![\u0980-\u09FF])|গতবার"
        r"|গত\s+(বছর|মাস|বার|সপ্তাহ)|(বছর|মাস|দিন)\s+আগে|(১৯|২০)[০-৯]{2}|(?<=\S)(ছিল|ছিলো|ছিলাম|তো)(?![\u0980-\u09FF])",
        re.IGNORECASE,
    ),
    "resolved": re.compile(
        r"\b(now|but now)\s+(it is |its |it's |is |i am |i'm |he is |she is |all |everything )?"
        r"(ok|okay|fine|good|better|solved|safe)\b"
        r"|\b(ok|okay|fine|safe|better|well)\s+now\b|\b(solved|paid everything|all ok)\b|\bsustho\b|সুস্থ"
        r"|\balready\s+(back|home|solved|returned|paid)|\b(came|come|am|are|is)\s+back\b|\bback (home|in bangladesh)\b"
        r"|\b(returned|gave back|paid (me|us|all)|got (it|my \w+) back)\b"
        r"|\bnow\b[^.?!]{0,40}(?<!not )(?<!n't )\b(fine|ok|okay|safe|good|no problem|on time)\b"
        r"|\b(that|it) (is )?finished\b|\bshodh\s+sesh\b"
        r"|\b(ekhon|akhon)\b[^.?!]{0,40}\b(thik|valo|bhalo|ok|nirapod|safe|shanti|r\s+nai)\b(?!\s*(na|nai|nei)\b)"
        r"|\b(ekhon|akhon)\s+(thik|valo|bhalo|ok|nirapod|deshe)(?!\s*(na|nai|nei)\b)|\bfire\s*(eshechi|asechi|aschi|esechi)|\bfirechi\b"
        r"|\bdeshe\s+(achi|firechi|chole)|\bferot\s+(dise|dilo|diyeche|pelam|paisi)"
        r"|এখন\s+(সব\s+)?(ঠিক|ভালো|ভাল|নিরাপদ|দেশে)|ফিরে\s+(এসেছি|আসছি)|দেশে\s+(আছি|ফিরেছি|চইলা|চলে)"
        r"|ফেরত\s+(দিছে|দিয়েছে|দিসে|পাইছি|পেয়েছি)|দিয়া\s+দিছে|দিয়ে\s+দিয়েছে|সমস্যা\s+নাই"
        r"|এখন[^.?!।]{0,40}(শান্তিতে|ভালো\s+আছ|ঠিক\s+আছ|চিন্তা\s+নাই|সমস্যা\s+নাই|আর\s+নাই)",
        re.IGNORECASE,
    ),
    "rules": re.compile(
        r"\bis (it|this|that) (allowed|legal|normal|ok|a crime)\b"
        r"|\b(are|is) (they|employers?|companies|agenc\w+) allowed\b"
        r"|\bcan (an? |the |my )?(employer|company|agency|sponsor|kafil|malik|boss)\b"
        r"|\bwhat (is|are) the (law|rules?)\b|\bsafe\?"
        r"|\bnews\b|\bheard\b|\bi read\b|\bgenerally\b|\bin general\b"
        r"|\bniyom\b|\bparbe\s+ki\b|\bki\s+parbe\b|\bpare\s+ki\b|\bkhobor\b|\bshunlam\b|\bshunechi\b|\bshunchi\b"
        r"|\bdekhlam\b|\bopradh\b|\bshuni\b|\bgujob\b|\brumou?r\b"
        r"|নিয়ম|পারবে\s+কি|কি\s+পারে|পারে\s+কি|খবর|শুনলাম|শুনেছি|শুনছি|দেখলাম|অপরাধ|গুজব|টিভিতে|পত্রিকায়|জায়েজ"
        r"|নিরাপদ\?",
        re.IGNORECASE,
    ),
    "ongoing": re.compile(
        r"\bright now\b|\btoday\b|\btonight\b|\bsince\b|\bstill\b|\burgent\w*\b|\bcurrently\b"
        r"|\bekhono\b|\bajke?\b|\bthek[ei]\b|\bbachao\b|\bbachan\b"
        rf"|{_BN}এখনো|{_BN}আজ|থেকে|বাঁচা|বাচা",
        re.IGNORECASE,
    ),
    "now": re.compile(r"\bnow\b|\bekhon\b|(?<![\u0980-\u09FF])এখন(?![\u0980-\u09FF])", re.IGNORECASE),
}
# Cues that put words of danger in a question, the past or the future.
DISTANCING = frozenset({"hypothetical", "past", "resolved", "rules"})
_WORD = re.compile(r"[\w\u0980-\u09FF]+")


@dataclass(frozen=True)
class Triage:
    """The decision for one message, with the model's probability of danger and the cues that were found."""

    level: str
    probability: float
    cues: frozenset[str]
    net: bool


def cues_of(text: str) -> frozenset[str]:
    """Which cues of time and person the text holds."""
    return frozenset(name for name, pattern in CUES.items() if pattern.search(text))


def romanised_text(text: str) -> str:
    """The text in one spelling for all three forms: lower case, Bengali words romanised."""
    return " ".join(romanise(word) for word in _WORD.findall(text.casefold()))


def _features(vectorizers: tuple[TfidfVectorizer, ...], texts: list[str]):
    romanised, raw = [romanised_text(text) for text in texts], [text.casefold() for text in texts]
    char_romanised, words_romanised, char_raw = vectorizers
    flags = csr_matrix(np.array([_flag_row(text) for text in texts]))
    parts = [char_romanised.transform(romanised), words_romanised.transform(romanised), char_raw.transform(raw)]
    return hstack([*parts, flags]).tocsr()


def _flag_row(text: str) -> list[float]:
    found = cues_of(text)
    return [float(danger_signal(text)), *(float(name in found) for name in CUES)]


def load_examples(directory=TRAINING_DIR) -> list[tuple[str, str]]:
    """(text, label) of every labelled example in the directory's YAML files."""
    examples = []
    for path in sorted(directory.glob("*.yml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["messages"]:
            examples.append((str(item["text"]), str(item["label"])))
    return examples


def ordinary_questions() -> list[tuple[str, str]]:
    """The NLU examples of every topic question and chit-chat, as "no": what most messages look like."""
    return [(text, NO) for form in FORMS for intent, text in form_examples(NLU_DIR, form) if intent not in NOT_ORDINARY]


def training_examples() -> list[tuple[str, str]]:
    """The triage data and the ordinary questions of the NLU data."""
    return load_examples() + ordinary_questions()


@dataclass(frozen=True)
class TriageModel:
    """The fitted vectorizer and classifier."""

    vectorizers: tuple[TfidfVectorizer, ...]
    classifier: LogisticRegression

    def probability(self, text: str) -> float:
        """Probability that the text reports danger now."""
        return float(self.classifier.predict_proba(_features(self.vectorizers, [text]))[0, 1])


def train(examples: list[tuple[str, str]]) -> TriageModel:
    """Fit the model on (text, label) examples."""
    texts = [text for text, _ in examples]
    labels = [int(label == DANGER_NOW) for _, label in examples]
    romanised = [romanised_text(text) for text in texts]
    # Character n-grams catch spellings and word parts ("atke", "আটকে"); words and word pairs catch phrases; the
    # raw text keeps what romanising blurs (Bengali vowel signs).
    vectorizers = (
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True).fit(romanised),
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True).fit(romanised),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True).fit([t.casefold() for t in texts]),
    )
    classifier = LogisticRegression(C=16.0, class_weight="balanced", max_iter=3000)
    classifier.fit(_features(vectorizers, texts), labels)
    return TriageModel(vectorizers, classifier)


@cache
def default_model() -> TriageModel:
    """The model trained on the repository's triage data, once per process."""
    return train(training_examples())


def triage(text: str, model: TriageModel | None = None) -> Triage:
    """Decide danger_now, maybe or no for one message."""
    text = text[:MAX_TRIAGE_CHARS]
    found, net = cues_of(text), danger_signal(text)
    probability = (model or default_model()).probability(text) if _WORD.search(text) else 0.0
    # "still", "since", "today" keep harm going whatever else is said; a bare "now" only when nothing is past.
    ongoing = not found & {"hypothetical", "resolved"} and (
        "ongoing" in found or ("now" in found and "past" not in found)
    )
    distanced = bool(found & DISTANCING) and not ongoing
    # Words of danger (the net) are urgent unless the model finds the message plainly ordinary. A message put in a
    # question, the past or the future needs a sure model to be urgent; otherwise the person is asked.
    if probability >= (DISTANCED_URGENT_FROM if distanced else URGENT_FROM) or (
        net and not distanced and probability >= NET_URGENT_FROM
    ):
        level = DANGER_NOW
    elif probability >= QUESTION_BELOW or net:
        level = MAYBE
    else:
        level = NO
    return Triage(level, probability, found, net)
