"""Questions about agencies, generated from the registry file: every agency by name, in three forms, as people write.

Each agency is asked in three phrasings per form: the whole name, the distinctive part of the name ("Sharat Wings"
for "Sharat Wings Overseas"), and the name with a typo; some in capitals, some with extra words around it. Bengali
questions use `name_bn` where the agency has one. Invented names (`invented_names`) share no distinctive word with
the registry.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass

from bot.topics.agencies_cli import SAMPLE_FILE
from bot.topics.registry import FILLER_WORDS

SAMPLE = SAMPLE_FILE

TEMPLATES = {
    "en": (
        "is {name} licensed?",
        "{name} agency is it legal",
        "my brother going to saudi with {name}, can we trust them? they want 4 lakh",
    ),
    "bn_latn": (
        "{name} er license ache ki?",
        "{name} ki boidho agency?",
        "amar chele ke {name} malaysia pathabe, ei agency thik ache naki? er bepare jante chai",
    ),
    "bn": (
        "{name} কি বৈধ এজেন্সি?",
        "{name} এর লাইসেন্স আছে কিনা জানতে চাই",
        "আমার ভাইকে {name} সৌদি পাঠাবে বলছে, এটা কি ঠিক আছে?",
    ),
}
# Words for invented names: none is a word of a sample agency's name.
INVENTED_FIRST = (
    "Golden",
    "Silver",
    "Royal",
    "Crystal",
    "Diamond",
    "Emerald",
    "Sapphire",
    "Northern",
    "Eastern",
    "Blue",
)
INVENTED_SECOND = ("Falcon", "Crescent", "Lotus", "Tiger", "Eagle", "Phoenix", "River", "Mountain", "Ocean", "Star")


@dataclass(frozen=True)
class Question:
    """A question about one agency (its licence number and status), in one form and phrasing."""

    license_number: str
    status: str
    form: str
    kind: str
    text: str


def sample_agencies() -> list[dict]:
    """The rows of the sample registry file."""
    with SAMPLE.open(encoding="utf-8") as file:
        return list(csv.DictReader(file))


def distinctive(name: str) -> str:
    """The name without the words that say what kind of business it is ("Sharat Wings Overseas" -> "Sharat Wings")."""
    words = [word for word in name.replace("&", " ").split() if word.casefold().strip(".") not in FILLER_WORDS]
    return " ".join(words) or name


def with_typo(name: str, rng: random.Random) -> str:
    """The name with two neighbouring letters of its longest word swapped, or one letter dropped."""
    words = name.split()
    longest = max(range(len(words)), key=lambda index: len(words[index]))
    word = words[longest]
    if len(word) < 5:
        return name
    position = rng.randrange(1, len(word) - 2)
    if rng.random() < 0.5:
        word = word[:position] + word[position + 1] + word[position] + word[position + 2 :]
    else:
        word = word[:position] + word[position + 1 :]
    words[longest] = word
    return " ".join(words)


def questions(seed: int = 7) -> list[Question]:
    """Three questions per form for every agency of the sample file: whole name, distinctive part, typo."""
    rng = random.Random(seed)
    asked = []
    for row in sample_agencies():
        for form, templates in TEMPLATES.items():
            name = row["name_bn"] if form == "bn" and row["name_bn"] else row["name"]
            names = {
                "whole": name if rng.random() < 0.8 else name.upper(),
                "partial": distinctive(name).lower() if form != "bn" else distinctive(name),
                "typo": with_typo(name, rng),
            }
            for template, (kind, written) in zip(templates, names.items(), strict=True):
                asked.append(Question(row["license_number"], row["status"], form, kind, template.format(name=written)))
    return asked


def invented_names() -> list[str]:
    """100 agency names that are not in the sample file."""
    return [f"{first} {second} Overseas" for first in INVENTED_FIRST for second in INVENTED_SECOND]
