"""Registry of licensed recruiting agencies: licence-number parsing, CSV import and export, lookup by RL number or name.

CSV format (UTF-8, a byte-order mark is accepted; the header is line 1, one agency per line after it):

    license_number,name,name_bn,address,district,phone,status,license_expiry,source

- license_number: required, any spelling normalise_license accepts on its own ("RL 1024", "RL-1024", "আরএল ১০২৪");
  stored and exported as "RL-1024". Unique within the file.
- name, source: required. status: required, one of valid, expired, suspended, cancelled (any case).
- name_bn, address, district, phone: optional. license_expiry: optional, ISO date YYYY-MM-DD.
- Columns may come in any order; each must be there exactly once and no other column is allowed.

An import checks every line before writing anything: one bad line rejects the whole file with every problem listed.
Agencies absent from a file are flagged missing_from_last_import, never deleted, and are still found by lookups.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein
from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.language.forms import latin_digits
from bot.models import Agency, RegistryImport, as_utc, utcnow

COLUMNS = ("license_number", "name", "name_bn", "address", "district", "phone", "status", "license_expiry", "source")
REQUIRED = ("license_number", "name", "status", "source")
# Longest value per column, as in bot.models.Agency: PostgreSQL refuses longer ones, SQLite would silently keep them.
MAX_LENGTHS = {"name": 200, "name_bn": 200, "address": 300, "district": 50, "phone": 40, "source": 200}
# Fields an import compares to decide whether a known agency changed (name_key too, so a new key rule heals old rows).
COMPARED = ("name", "name_bn", "address", "district", "phone", "status", "license_expiry", "source", "name_key")
BATCH_ROWS = 1000

# Fuzzy name search, on rapidfuzz WRatio scores (0-100) between name keys. The floor of 80 keeps one-letter typos and
# queries naming part of a name (WRatio gives those 90) and drops unrelated names. "one" needs 90 and a lead of 8 over
# the runner-up, so names sharing the query's words ("green star") make the person choose.
MAX_QUERY_CHARS = 120
MAX_QUERY_WORDS = 8
MIN_QUERY_KEY_CHARS = 3
WORD_FLOOR = 75
SCORE_FLOOR = 80
CONFIDENT_SCORE = 90
CLEAR_LEAD = 8

# "RL", "R.L.", "আরএল", "আর এল", then an optional "no."/"নং", then 1-5 digits (Latin or Bengali). Every quantifier is
# bounded so a 10 kB message cannot make the search slow, and the look-arounds keep "world 1234" or a phone number out.
_LICENSE_PATTERN = (
    r"(?<![\w\u0980-\u09ff])"
    r"(?:r\s?\.?\s?l\.?|আর\s?\.?\s?এল\.?)"
    r"[\s.:#/\-–—]{0,4}"
    r"(?:(?:no|nr|num|number|নং|নম্বর|নাম্বার)\.?[\s.:#\-]{0,4})?"
    r"([0-9০-৯]{1,5})(?![0-9০-৯])"
)
_LICENSE_IN_TEXT = re.compile(_LICENSE_PATTERN, re.IGNORECASE)

# Words that say what kind of business it is rather than which one; agencies are known by the rest of their name.
FILLER_WORDS = frozenset(
    {
        "overseas", "overses", "oversease", "international", "internationl", "intl", "int", "ltd", "limited",
        "recruiting", "recruitment", "recruiters", "agency", "agencies", "travels", "travel", "tours", "manpower",
        "services", "service", "bd", "bangladesh", "the", "and", "of", "co", "company", "corporation", "enterprise",
        "ওভারসিজ", "ওভারসীজ", "ইন্টারন্যাশনাল", "লিমিটেড", "লিঃ", "রিক্রুটিং", "এজেন্সি",
        "ট্রাভেলস", "ম্যানপাওয়ার", "সার্ভিসেস", "সার্ভিস", "বিডি", "বাংলাদেশ", "অ্যান্ড", "এন্ড",
    }
)  # fmt: skip
# Words of a question around a name, in the three forms ("is Al Noor licensed?", "al noor er license ache ki",
# "আল নূর কি বৈধ?", "amar bhai ke sharat wings pathabe, thik ache?"), dropped from queries only, never from names:
# the whole message is searched, so what is left should be the name.
QUERY_WORDS = frozenset(
    {
        "is", "it", "its", "are", "was", "a", "an", "this", "that", "these", "check", "checking", "please", "pls",
        "plz", "licensed", "licenced", "license", "licence", "licensing", "legal", "illegal", "valid", "real", "fake",
        "fraud", "genuine", "registered", "name", "named", "called", "my", "me", "i", "we", "our", "can", "could",
        "you", "your", "how", "what", "about", "know", "want", "to", "tell", "whether", "if", "or", "not", "do",
        "does", "did", "should", "trust", "with", "from", "go", "going", "by", "for", "send", "sending", "abroad",
        "visa", "job", "brother", "son", "husband", "he", "she", "they", "them", "say", "says", "said", "promised",
        "taking", "take", "asked", "ask", "money", "taka", "lakh", "government", "approved", "bmet", "list", "listed",
        "on", "in", "at", "any", "info", "details", "under", "hi", "hello", "sir", "apa", "bhai",
        "ki", "kina", "naki", "thik", "ache", "achhe", "ase", "asey", "er", "ta", "ti", "ei", "oi", "bolo", "bolun",
        "ami", "amar", "amader", "jante", "chai", "chay", "bepare", "byapare", "sombondhe", "niye", "lisens",
        "boidho", "boido", "boiddho", "asol", "nokol", "bhua", "vua", "jachai", "jacai", "korte", "korun", "koren",
        "kore", "dekhen", "dekhun", "te", "e", "theke", "diye", "jete", "jabo", "jacche", "pathabe", "pathacche",
        "bidesh", "bideshe", "chele", "swami", "dalal", "bolche", "bolse", "nise", "nicche", "valo", "bhalo",
        "sothik", "nibondhito", "sorkari", "onumodito", "kemon", "kono", "na", "agencyr", "agencir", "ke",
        "কি", "কী", "কিনা", "ঠিক", "আছে", "এটা", "এটি", "লাইসেন্স", "বৈধ", "নাকি", "আমি", "আমার", "আমাদের",
        "জানতে", "চাই", "সম্পর্কে", "ব্যাপারে", "বিষয়ে", "নিয়ে", "যাচাই", "করতে", "করুন", "করে", "দেখুন", "এর",
        "টা", "টি", "থেকে", "দিয়ে", "যেতে", "যাবে", "পাঠাবে", "বিদেশ", "বিদেশে", "ভাই", "ছেলে", "স্বামী",
        "দালাল", "বলছে", "টাকা", "নিবন্ধিত", "সরকারি", "অনুমোদিত", "আসল", "নকল", "ভুয়া", "সঠিক", "ভালো",
        "কেমন", "কোন", "না", "বলুন", "তো", "ও", "এজেন্সির", "এজেন্সিটি", "এজেন্সিটা", "কোম্পানি",
    }
)  # fmt: skip
# Source of the sample rows shipped in data/registry/: answers from them say that they are not the official list.
SAMPLE_SOURCE_PREFIX = "SAMPLE DATA"
MAX_SEARCHED_CHARS = 40
_LONG_FILLERS = tuple(word for word in FILLER_WORDS if len(word) >= 5)
_TOKEN_SPLIT = re.compile(r"[^\w\u0980-\u09ff]+|_")
# Romanised Bengali has no fixed spelling: noor/nur, shonar/sonar, jomuna/jamuna, makka/mokka, bhai/vai, phul/ful.
_SPELLING_FOLDS = (
    (re.compile(r"oo"), "u"),
    (re.compile(r"ee"), "i"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"([bcdgjkst])h"), r"\1"),
)
# Bengali script has its own loose spellings: long and short i and u (নূর/নুর), the three s letters, ন/ণ, জ/য.
_LETTER_FOLDS = str.maketrans("ozqvyীূঈঊষসণয", "ajkbiিুইউশশনজ")
_DOUBLED = re.compile(r"([a-z])\1+")


class RegistryImportError(ValueError):
    """A CSV file was refused; `errors` lists every problem as "line N: what is wrong"."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        shown = "\n".join(errors[:20])
        more = f"\n... and {len(errors) - 20} more" if len(errors) > 20 else ""
        super().__init__(f"{len(errors)} problem(s) in the agency file, nothing imported:\n{shown}{more}")


@dataclass(frozen=True)
class ImportSummary:
    """What an import did (or, in a dry run, would do)."""

    added: int
    updated: int
    unchanged: int
    marked_missing: int


@dataclass(frozen=True)
class RegistryState:
    """How many agencies the registry holds, and when the list was last imported (None: never)."""

    agencies: int
    last_import_at: datetime | None
    sample: bool


@dataclass(frozen=True)
class Match:
    """An agency found by name, with its similarity score (0-100)."""

    agency: Agency
    score: float


def normalise_license(text: str) -> str | None:
    """The first licence number written in the text, as "RL-1234" (leading zeros dropped), or None."""
    found = _LICENSE_IN_TEXT.search(text)
    return _canonical(found.group(1)) if found else None


def _canonical(digits: str) -> str | None:
    # Leading zeros are dropped so "RL 0123" and "RL 123" are one licence; "RL 0" is no licence at all.
    number = int(latin_digits(digits))
    return f"RL-{number}" if number else None


def _license_field(value: str) -> str | None:
    # A CSV cell must hold a licence number and nothing else, so "RL 12 and 13" is an error, not licence 12.
    found = _LICENSE_IN_TEXT.fullmatch(value.strip())  # stripped first: no \s* groups that could backtrack
    return _canonical(found.group(1)) if found else None


def _license_order(license_number: str) -> int:
    return int(license_number.removeprefix("RL-"))


def name_key(name: str) -> str:
    """The normalised name fuzzy search compares: no case, punctuation or filler words, one spelling of each sound."""
    return _key(name, frozenset())[:200]


def _query_key(text: str) -> str:
    return _key(text[:MAX_QUERY_CHARS], QUERY_WORDS)


def _key(text: str, dropped: frozenset[str]) -> str:
    words = [word for word in _TOKEN_SPLIT.split(unicodedata.normalize("NFKC", text).casefold()) if word]
    words = [word for word in words if word not in dropped]
    # A name made only of filler words ("International Manpower Ltd.") is known by those words.
    distinctive = [word for word in words if not _is_filler(word)] or words
    return " ".join(_fold(word) for word in distinctive)


@lru_cache(maxsize=4096)
def _is_filler(word: str) -> bool:
    # A typo of a long filler word is still a filler word: "overses", "manpowar", "internasonal" (two typos allowed
    # from 8 letters on).
    if word in FILLER_WORDS:
        return True
    if len(word) < 5:
        return False
    typos = 1 if len(word) < 8 else 2
    return process.extractOne(word, _LONG_FILLERS, scorer=Levenshtein.distance, score_cutoff=typos) is not None


def _fold(word: str) -> str:
    for pattern, replacement in _SPELLING_FOLDS:
        word = pattern.sub(replacement, word)
    return _DOUBLED.sub(r"\1", word.translate(_LETTER_FOLDS))


def import_csv(
    session_factory: sessionmaker,
    path: str | Path,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportSummary:
    """Check every line of the file, then add, update and flag agencies in one transaction (none in a dry run)."""
    rows = _read_rows(Path(path))
    columns = [Agency.__table__.c[name] for name in ("id", "license_number", *COMPARED, "missing_from_last_import")]
    with session_factory() as session:
        existing = {row.license_number: row for row in session.execute(select(*columns))}
        added = updated = unchanged = 0
        for start in range(0, len(rows), BATCH_ROWS):
            inserts, updates = [], []
            for row in rows[start : start + BATCH_ROWS]:
                known = existing.get(row["license_number"])
                if known is None:
                    inserts.append(row)
                    added += 1
                    continue
                changed = any(getattr(known, field) != row[field] for field in COMPARED)
                if changed:
                    updated += 1
                else:
                    unchanged += 1
                # An agency back on the list loses its flag, but its data is what "unchanged" is about.
                if changed or known.missing_from_last_import:
                    updates.append({**row, "agency_id": known.id})
            if not dry_run:
                _write(session, inserts, updates)
            if progress is not None:
                progress(min(start + BATCH_ROWS, len(rows)), len(rows))
        in_file = {row["license_number"] for row in rows}
        absent = [row for number, row in existing.items() if number not in in_file]
        if not dry_run:
            _flag_missing(session, [row.id for row in absent if not row.missing_from_last_import])
            sample = all(row["source"].startswith(SAMPLE_SOURCE_PREFIX) for row in rows)
            session.add(RegistryImport(imported_at=utcnow(), rows=len(rows), sample=sample))
            session.commit()
    return ImportSummary(added=added, updated=updated, unchanged=unchanged, marked_missing=len(absent))


def _write(session: Session, inserts: list[dict], updates: list[dict]) -> None:
    now = utcnow()
    table = Agency.__table__
    if inserts:
        session.execute(
            insert(table), [{**values, "missing_from_last_import": False, "updated_at": now} for values in inserts]
        )
    if updates:
        # The SET clause takes each row's new values from the parameters named after the columns.
        statement = (
            update(table)
            .where(table.c.id == bindparam("agency_id"))
            .values(missing_from_last_import=False, updated_at=now)
        )
        session.execute(statement, updates)


def _flag_missing(session: Session, agency_ids: list[int]) -> None:
    if agency_ids:
        table = Agency.__table__
        statement = (
            update(table)
            .where(table.c.id == bindparam("agency_id"))
            .values(missing_from_last_import=True, updated_at=utcnow())
        )
        session.execute(statement, [{"agency_id": agency_id} for agency_id in agency_ids])


def _read_rows(path: Path) -> list[dict]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise RegistryImportError([f"line {line}: not UTF-8 text (byte {error.start} of the file)"]) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    rows, errors, first_line = [], [], {}
    try:
        header, header_errors = _header(next(reader, None))
        if header_errors:
            raise RegistryImportError(header_errors)
        while True:
            line = reader.line_num + 1  # where the next record starts, even when a quoted cell spans lines
            cells = next(reader, None)
            if cells is None:
                break
            if cells:  # a blank line holds no agency
                errors += _check_row(line, header, cells, first_line, rows)
    except csv.Error as error:
        raise RegistryImportError([f"line {reader.line_num}: unreadable CSV ({error})"]) from None
    if not rows and not errors:
        errors.append("line 2: no agency rows after the header")
    if errors:
        raise RegistryImportError(errors)
    return rows


def _header(cells: list[str] | None) -> tuple[list[str], list[str]]:
    if not cells:
        return [], [f"line 1: the file is empty; expected the header {','.join(COLUMNS)}"]
    names = [name.strip() for name in cells]
    errors = [f"line 1: column {name!r} appears more than once" for name in sorted(set(names)) if names.count(name) > 1]
    errors += [f"line 1: unknown column {_short(name)}" for name in names if name not in COLUMNS]
    errors += [f"line 1: missing column {name!r}" for name in COLUMNS if name not in names]
    return names, errors


def _check_row(
    line: int, header: list[str], cells: list[str], first_line: dict[str, int], rows: list[dict]
) -> list[str]:
    """Append the row's values, ready to store, to `rows`; return its problems as "line N: ..." messages."""
    if len(cells) != len(header):
        return [f"line {line}: {len(cells)} fields, expected {len(header)}"]
    values = {name: cell.strip() for name, cell in zip(header, cells, strict=True)}
    problems = [f"{name} is empty" for name in REQUIRED if not values[name]]
    problems += [
        f"{name} is longer than {limit} characters" for name, limit in MAX_LENGTHS.items() if len(values[name]) > limit
    ]
    license_number = _license_field(values["license_number"]) if values["license_number"] else None
    if values["license_number"] and license_number is None:
        problems.append(f"license_number {_short(values['license_number'])} is not a licence number like RL-1234")
    elif license_number in first_line:
        problems.append(f"licence {license_number} is already on line {first_line[license_number]}")
    elif license_number:
        first_line[license_number] = line
    status = values["status"].lower()
    if status and status not in Agency.STATUSES:
        problems.append(f"status {_short(values['status'])} is not one of {', '.join(Agency.STATUSES)}")
    expiry = None
    if values["license_expiry"]:
        try:
            expiry = date.fromisoformat(values["license_expiry"])
        except ValueError:
            problems.append(f"license_expiry {_short(values['license_expiry'])} is not a date YYYY-MM-DD")
    if problems:
        return [f"line {line}: {problem}" for problem in problems]
    values.update(
        license_number=license_number,
        name_bn=values["name_bn"] or None,
        phone=values["phone"] or None,
        status=status,
        license_expiry=expiry,
        name_key=name_key(values["name"]),
    )
    rows.append(values)
    return []


def _short(value: str) -> str:
    return repr(value if len(value) <= 40 else value[:40] + "...")


def export_csv(session_factory: sessionmaker, path: str | Path) -> int:
    """Write every agency to a CSV file in the import format, by licence number; return how many were written."""
    with session_factory() as session:
        agencies = sorted(session.scalars(select(Agency)), key=lambda agency: _license_order(agency.license_number))
    with Path(path).open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(_csv_cells(agency) for agency in agencies)
    return len(agencies)


def _csv_cells(agency: Agency) -> Iterable[str]:
    for name in COLUMNS:
        value = getattr(agency, name)
        yield "" if value is None else value.isoformat() if isinstance(value, date) else value


def find_by_license(session: Session, text: str) -> Agency | None:
    """The agency whose licence number is written in the text, or None (also when the text holds no number)."""
    license_number = normalise_license(text)
    if license_number is None:
        return None
    return session.scalar(select(Agency).where(Agency.license_number == license_number))


def is_sample(agency: Agency) -> bool:
    """True for a row of the shipped sample file, which is not the official list."""
    return agency.source.startswith(SAMPLE_SOURCE_PREFIX)


def registry_state(session: Session) -> RegistryState:
    """The registry's size and its last import."""
    agencies = session.scalar(select(func.count()).select_from(Agency)) or 0
    last = session.scalars(select(RegistryImport).order_by(RegistryImport.imported_at.desc()).limit(1)).first()
    return RegistryState(agencies, as_utc(last.imported_at) if last else None, bool(last and last.sample))


def searched_words(text: str) -> str:
    """The words of a question that were searched as a name (question words left out), to quote back to the person."""
    words = [word for word in _TOKEN_SPLIT.split(unicodedata.normalize("NFKC", text[:MAX_QUERY_CHARS])) if word]
    kept = " ".join(word for word in words if word.casefold() not in QUERY_WORDS)
    return kept if len(kept) <= MAX_SEARCHED_CHARS else kept[:MAX_SEARCHED_CHARS].rsplit(" ", 1)[0] + "..."


def best_matches(session: Session, texts: Iterable[str], limit: int = 3) -> list[Match]:
    """The name search over several texts (the whole message, the model's entity) whose result is surest."""
    results = [search_by_name(session, text, limit) for text in dict.fromkeys(texts) if text]
    return max(
        results, key=lambda matches: (classify(matches) == "one", matches[0].score if matches else 0), default=[]
    )


def search_by_name(session: Session, text: str, limit: int = 3) -> list[Match]:
    """Agencies whose name is like the text, best first, scoring at least SCORE_FLOOR; at most `limit`."""
    query = _query_key(text)
    if len(query) < MIN_QUERY_KEY_CHARS:
        return []
    index = _name_index(session)
    best: dict[int, float] = {}
    for _key_text, score, entry in process.extract(
        query, _candidates(index, query), scorer=name_score, score_cutoff=SCORE_FLOOR, limit=None
    ):
        agency_id = index.ids[entry]
        best[agency_id] = max(score, best.get(agency_id, 0))
    if not best:
        return []
    agencies = {agency.id: agency for agency in session.scalars(select(Agency).where(Agency.id.in_(list(best))))}
    # An agency deleted since the index was built is simply not found.
    ranked = sorted(
        (-score, _license_order(agencies[agency_id].license_number), agency_id)
        for agency_id, score in best.items()
        if agency_id in agencies
    )
    return [Match(agencies[agency_id], -score) for score, _order, agency_id in ranked[:limit]]


def name_score(query: str, key: str, **_kwargs) -> float:
    """How well a name key matches the query key (0-100); a query as long as the name or longer is read as context.

    A query shorter than the name is compared whole (WRatio: "sharat" finds "sharat wings" at 90). Otherwise
    ("amar chele ke sharat wings malaysia pathabe") the name is compared with each run of as many words, one fewer
    or one more, with the plain ratio, so one shared word ("wings") never makes a sure match.
    """
    words, size = query.split(), len(key.split())
    if len(words) < size:
        return fuzz.WRatio(query, key)
    spans = (
        " ".join(words[start : start + length])
        for length in range(max(size - 1, 1), size + 2)
        for start in range(len(words) - length + 1)
    )
    return max(fuzz.ratio(span, key) for span in spans)


def _candidates(index: _NameIndex, query: str) -> dict[int, str]:
    # WRatio over every name costs ~10 ms at 10,000 agencies, so it only scores the names that are close as a whole,
    # share a word with the query (typos allowed), or share two words written as one ("alnoor" / "al noor").
    close = process.extract(query, index.keys, scorer=fuzz.QRatio, score_cutoff=SCORE_FLOOR, limit=None)
    entries = {entry for _key, _score, entry in close}
    words = [word for word in dict.fromkeys(query.split()) if len(word) >= MIN_QUERY_KEY_CHARS]
    for word in words[:MAX_QUERY_WORDS]:
        similar = process.extract(word, index.words, scorer=fuzz.ratio, score_cutoff=WORD_FLOOR, limit=None)
        for _word, _score, position in similar:
            entries.update(index.word_entries[position])
    for term in _exact_terms(query):
        entries.update(index.exact.get(term, ()))
    return {entry: index.keys[entry] for entry in entries}


def _exact_terms(key: str) -> list[str]:
    words = key.split()
    return [*words, *(first + second for first, second in pairwise(words))]


def classify(matches: list[Match]) -> str:
    """Say "one" when the best match is sure and well ahead of the next, "none" without matches, else "several"."""
    if not matches:
        return "none"
    runner_up = matches[1].score if len(matches) > 1 else 0
    if matches[0].score >= CONFIDENT_SCORE and matches[0].score - runner_up >= CLEAR_LEAD:
        return "one"
    return "several"


@dataclass(frozen=True)
class _NameIndex:
    signature: tuple
    keys: list[str]  # one entry per name (English and Bengali), parallel to ids
    ids: list[int]
    words: list[str]  # every word of the keys, parallel to word_entries, for fuzzy word search
    word_entries: list[list[int]]
    exact: dict[str, list[int]]  # entries by word and by two neighbouring words joined


_INDEXES: dict[str, _NameIndex] = {}


def _name_index(session: Session) -> _NameIndex:
    # Rebuilt only when the table changed: every import, edit or delete moves the row count or the newest updated_at,
    # also when another process made the change. Two subqueries, so both read an index instead of the table.
    count = select(func.count()).select_from(Agency).scalar_subquery()
    newest = select(func.max(Agency.updated_at)).scalar_subquery()
    signature = tuple(session.execute(select(count, newest)).one())
    cache_key = str(session.get_bind().url)
    cached = _INDEXES.get(cache_key)
    if cached is not None and cached.signature == signature:
        return cached
    keys, ids, by_word, exact = [], [], {}, {}
    for agency_id, key, name_bn in session.execute(select(Agency.id, Agency.name_key, Agency.name_bn)):
        for name in (key, name_key(name_bn) if name_bn else ""):
            if name:
                for word in name.split():
                    by_word.setdefault(word, []).append(len(keys))
                for term in _exact_terms(name):
                    exact.setdefault(term, []).append(len(keys))
                keys.append(name)
                ids.append(agency_id)
    index = _NameIndex(signature, keys, ids, list(by_word), list(by_word.values()), exact)
    _INDEXES[cache_key] = index
    return index
