"""Benchmark of the agency registry on 10,000 generated agencies in a temporary SQLite database; prints figures only."""

from __future__ import annotations

import csv
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bot.db import make_engine, make_session_factory, upgrade_schema  # noqa: E402
from bot.topics.agency_answers import answer_query  # noqa: E402
from bot.topics.registry import COLUMNS, classify, find_by_license, import_csv, search_by_name  # noqa: E402

AGENCIES = 10_000
LOOKUPS = 1_000
SYLLABLES = "ka ri mo sha nu be to la di pa ro ja mi su ho ne ga bi".split()
SUFFIXES = ("Overseas", "International", "Manpower Services", "Travels & Recruiting Agency", "Overseas Ltd.")
BENGALI_DIGITS = str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")
# Questions around a name, as people write them in the three forms (the action searches the whole message).
MESSAGES = (
    "is {} licensed?",
    "my brother going to saudi with {}, can we trust them? they want 4 lakh",
    "{} er license ache ki?",
    "amar chele ke {} malaysia pathabe, ei agency thik ache naki? er bepare jante chai",
    "{} কি বৈধ এজেন্সি?",
)
SPELLINGS = (
    "RL-{}",
    "rl {}",
    "RL no. {}",
    "RL No:{}",
    "rl{}",
    "R.L. {}",
    "is RL {} ki thik ache?",
    "আরএল {bn}",
    "আর এল {bn}",
)


def word(rng: random.Random) -> str:
    """An invented word of two or three syllables."""
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def generate_csv(path: Path, rng: random.Random) -> list[str]:
    """Write AGENCIES invented agencies to path; return their names."""
    names: set[str] = set()
    while len(names) < AGENCIES:
        names.add(f"{word(rng)} {word(rng)} {rng.choice(SUFFIXES)}")
    ordered = sorted(names)
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(COLUMNS)
        for number, name in enumerate(ordered, start=1):
            writer.writerow(
                [f"RL {number}", name, "", f"{number} Naya Paltan", "Dhaka", "", "valid", "2028-06-30", "BENCH"]
            )
    return ordered


def with_typo(text: str, rng: random.Random) -> str:
    """The text with one letter dropped, doubled or swapped with the next one."""
    position = rng.randrange(len(text) - 1)
    edit = rng.choice(("drop", "double", "swap"))
    if edit == "drop":
        return text[:position] + text[position + 1 :]
    if edit == "double":
        return text[:position] + text[position] + text[position:]
    return text[:position] + text[position + 1] + text[position] + text[position + 2 :]


def timed(call, queries: list[str]) -> tuple[list[float], list]:
    """Milliseconds per call(query), and the results."""
    times, results = [], []
    for query in queries:
        start = time.perf_counter()
        results.append(call(query))
        times.append((time.perf_counter() - start) * 1000)
    return times, results


def in_new_session(session_factory, function):
    """function(session, query) in a fresh session, as the action server makes one per message."""

    def call(query: str):
        with session_factory() as session:
            return function(session, query)

    return call


def report(label: str, times: list[float]) -> None:
    """Print p50 and p95 of the timings."""
    cuts = statistics.quantiles(times, n=100)
    print(f"{label}: p50 {cuts[49]:.2f} ms, p95 {cuts[94]:.2f} ms over {len(times)} calls")


def typo_query(name: str, rng: random.Random) -> str:
    """The name's two distinctive words with one typo, sometimes followed by the first word of its suffix."""
    words = name.lower().split()
    query = with_typo(" ".join(words[:2]), rng)
    return f"{query} {words[2]}" if rng.random() < 0.5 else query


def main() -> None:
    """Generate, import, then time licence and name lookups."""
    # Seeded, for figures that can be compared between runs; nothing here is secret.
    rng = random.Random(2013)  # noqa: S311
    with tempfile.TemporaryDirectory() as folder:
        database_url = f"sqlite:///{folder}/bench.db"
        upgrade_schema(database_url)
        engine = make_engine(database_url)
        session_factory = make_session_factory(engine)
        path = Path(folder) / "agencies.csv"
        names = generate_csv(path, rng)

        start = time.perf_counter()
        summary = import_csv(session_factory, path)
        print(f"import of {AGENCIES} agencies: {time.perf_counter() - start:.2f} s ({summary})")
        start = time.perf_counter()
        import_csv(session_factory, path)
        print(f"re-import of the same file (all unchanged): {time.perf_counter() - start:.2f} s")

        numbers = [rng.randint(1, AGENCIES) for _ in range(LOOKUPS)]
        spellings = [rng.choice(SPELLINGS) for _ in range(LOOKUPS)]
        licence_queries = [
            spelling.format(number, bn=str(number).translate(BENGALI_DIGITS))
            for spelling, number in zip(spellings, numbers, strict=True)
        ]
        times, found = timed(in_new_session(session_factory, find_by_license), licence_queries)
        report("licence lookup", times)
        hits = sum(
            agency is not None and agency.license_number == f"RL-{number}"
            for agency, number in zip(found, numbers, strict=True)
        )
        print(f"licence lookups that found their agency: {hits}/{LOOKUPS}")
        with session_factory() as session:
            times, _found = timed(lambda query: find_by_license(session, query), licence_queries)
        report("licence lookup in an open session (query only)", times)

        start = time.perf_counter()
        with session_factory() as session:
            search_by_name(session, "warm-up")
        print(f"name index build (first search after an import): {(time.perf_counter() - start) * 1000:.1f} ms")
        expected = [rng.choice(names) for _ in range(LOOKUPS)]
        queries = [typo_query(name, rng) for name in expected]
        times, found = timed(in_new_session(session_factory, search_by_name), queries)
        report("fuzzy name search", times)
        offered = sum(
            name in [match.agency.name for match in matches] for matches, name in zip(found, expected, strict=True)
        )
        sure = sum(
            classify(matches) == "one" and matches[0].agency.name == name
            for matches, name in zip(found, expected, strict=True)
        )
        print(
            f"typo queries whose agency was offered: {offered}/{LOOKUPS}, found as the one sure match: {sure}/{LOOKUPS}"
        )
        messages = [rng.choice(MESSAGES).format(typo_query(name, rng)) for name in expected]
        times, answers = timed(
            in_new_session(session_factory, lambda session, text: answer_query(session, [text], "en")), messages
        )
        report("agency resolved from a whole message (answer_query)", times)
        named = sum(
            answer.values.get("agency") == name or name in answer.values.get("choices", "")
            for answer, name in zip(answers, expected, strict=True)
        )
        print(f"whole messages whose agency was named or offered: {named}/{LOOKUPS}")
        engine.dispose()


if __name__ == "__main__":
    main()
