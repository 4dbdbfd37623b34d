"""Every compiled pattern in bot/ and webhook/ runs in bounded time on adversarial texts of up to 10 kB.

The patterns are found by importing every module and collecting each module-level `re.Pattern` (also inside dicts,
lists and tuples), so a new pattern is covered without touching this test. The inputs are built from each pattern's
own words, with long runs of the separators its quantifiers accept in between: the shapes that make a backtracking
pattern slow (one with adjacent \\s* groups took 28 s on 4 kB here).
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import time
from collections.abc import Iterator

import pytest

import bot
import webhook

SIZE = 10_000
# Generous for a loaded 2-core machine: the slowest linear pattern (the danger net's long alternation) scans 10 kB in
# about 40 ms; a backtracking one takes seconds to minutes (the old LANG pattern: 28 s on 4 kB).
BOUND_SECONDS = 1.0
# Modules that only run inside another program (Alembic's env) or start one (`python -m bot`).
NOT_IMPORTABLE = ("bot.migrations", "bot.__main__")
SEPARATORS = (" ", "\n", "-", "_", ".", ":", "1", "a", "অ", "্", "\t")


def module_names() -> Iterator[str]:
    for package in (bot, webhook):
        yield package.__name__
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{package.__name__}."):
            if not info.name.startswith(NOT_IMPORTABLE):
                yield info.name


def patterns_in(value, seen: set[int]) -> Iterator[re.Pattern]:
    if id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, re.Pattern):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from patterns_in(item, seen)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from patterns_in(item, seen)


def all_patterns() -> list[tuple[str, re.Pattern]]:
    found, seen = [], set()
    for name in module_names():
        module = importlib.import_module(name)
        for attribute, value in vars(module).items():
            found += [(f"{name}.{attribute}", pattern) for pattern in patterns_in(value, seen)]
    return found


PATTERNS = all_patterns()


def adversarial_texts(pattern: re.Pattern) -> Iterator[str]:
    words = list(dict.fromkeys(re.findall(r"[a-z\u0980-\u09ff]{2,}", pattern.pattern.lower())))[:25] or ["ab"]
    for separator in SEPARATORS:
        yield separator * SIZE
        yield separator * SIZE + "!"
    for first, second in zip(words, [*words[1:], words[0]], strict=True):
        for separator in (" ", "-", "1", "অ"):
            run = separator * (SIZE // 2 - 10)
            yield f"{first}{run}{second}{run}x"
        yield (first + " ") * (SIZE // (len(first) + 1))
    yield "+8801" + " 1" * (SIZE // 2 - 4) + "x"
    yield "lang" + " " * 4990 + "bn" + " " * 4990 + "x"


def test_the_patterns_were_found():
    names = {name for name, _ in PATTERNS}
    assert len(PATTERNS) >= 20
    assert "bot.language.danger.DANGER" in names and "bot.ops.log_privacy.PHONE_OR_ID" in names


@pytest.mark.parametrize(("name", "pattern"), PATTERNS, ids=[name for name, _ in PATTERNS])
def test_pattern_runs_in_bounded_time_on_adversarial_texts(name, pattern):
    for text in adversarial_texts(pattern):
        for method in (pattern.search, pattern.match, pattern.findall):
            started = time.process_time()  # CPU time: other processes on the machine do not count
            method(text)
            elapsed = time.process_time() - started
            assert elapsed < BOUND_SECONDS, f"{name}.{method.__name__} took {elapsed:.2f} s of CPU on {text[:30]!r}..."
