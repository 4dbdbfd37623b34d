"""Government-fixed migration cost ceilings per destination, read from the dated content file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.settings import PROJECT_ROOT

FEES_PATH = PROJECT_ROOT / "data" / "content" / "fees.yml"


@dataclass(frozen=True)
class FeeCeiling:
    """The legal maximum a worker may be charged to go to one country."""

    country: str
    name: str
    genitive: dict[str, str]
    ceiling_bdt: int
    since: int
    stale: bool
    women_domestic_workers_free: bool

    def name_in(self, form: str | None) -> str:
        """The country as the fee answer names it: in English, or in the genitive of a Bengali form (সৌদি আরবের)."""
        return self.genitive.get(form or "", self.name)

    @property
    def ceiling_text(self) -> str:
        """The amount written the way Bangladeshis write it, e.g. 1,65,000."""
        digits = str(self.ceiling_bdt)
        head, tail = digits[:-3], digits[-3:]
        groups = []
        while len(head) > 2:
            groups.insert(0, head[-2:])
            head = head[:-2]
        return ",".join(([head] if head else []) + groups + [tail])


@lru_cache(maxsize=1)
def load_ceilings(path: Path = FEES_PATH) -> dict[str, FeeCeiling]:
    """All ceilings from the content file, keyed by canonical country value."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        key: FeeCeiling(
            country=key,
            name=entry["name"],
            genitive={"bn": entry["genitive_bn"], "bn_latn": entry["genitive_bn_latn"]},
            ceiling_bdt=int(entry["ceiling_bdt"]),
            since=int(entry["since"]),
            stale=bool(entry.get("stale", False)),
            women_domestic_workers_free=bool(entry.get("women_domestic_workers_free", False)),
        )
        for key, entry in raw.items()
    }


def ceiling_for(country: str | None) -> FeeCeiling | None:
    """The ceiling for a canonical country value, or None when no official figure is known."""
    if not country:
        return None
    return load_ceilings().get(country.strip().lower().replace(" ", "_"))


# Words that say the question is about a woman going as a domestic worker, in the three forms.
WOMEN_WORDS = re.compile(
    r"\b(women|woman|female|housemaid|maid|domestic|mohila|nari|meye|grihokormi|gri?hokormi)\b"
    r"|মহিলা|নারী|মেয়ে|গৃহকর্মী|হাউজমেইড|বুয়া",
    re.IGNORECASE,
)


# Words of a journey by sea, in the three forms: a fee question about a boat ("dalal wants 8 lakh for the boat to
# Italy") is answered with the sea-travel warning, never with a fee.
SEA_ROUTE_WORDS = re.compile(
    r"\b(boats?|trawlers?|by sea|sea route|nou?kay?|now?ka|nauka|trolar|troller|sagor\s*pothe|somudro\s*pothe)\b"
    r"|নৌকা|ট্রলার|সাগর\s*পথ|সমুদ্র\s*পথ|সাগর\s*পাড়ি",
    re.IGNORECASE,
)


def mentions_sea_route(text: str) -> bool:
    """True when the message speaks of going by boat or by sea."""
    return bool(SEA_ROUTE_WORDS.search(text[:500]))


def asks_about_women(text: str) -> bool:
    """True when the question is about a woman going (as a domestic worker): her exemption is then the answer."""
    return bool(WOMEN_WORDS.search(text[:500]))
