"""Agency registry: licence spellings, CSV import and export, lookup by licence number and by name."""

from __future__ import annotations

import csv
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.db import make_session_factory
from bot.models import Agency
from bot.settings import PROJECT_ROOT
from bot.topics.registry import (
    COLUMNS,
    ImportSummary,
    Match,
    RegistryImportError,
    classify,
    export_csv,
    find_by_license,
    import_csv,
    normalise_license,
    search_by_name,
)

SAMPLE = PROJECT_ROOT / "data" / "registry" / "agencies.sample.csv"
SAMPLE_SOURCE = "SAMPLE DATA - not the official list"
HEADER = ",".join(COLUMNS)
GOOD_ROW = "RL-500,Good Agency Overseas,,1 Road,Dhaka,,valid,2028-01-01,TEST"


@pytest.fixture
def factory(engine):
    """Session factory on the emptied test database."""
    return make_session_factory(engine)


@pytest.fixture
def sample(factory):
    """The test database holding the sample agencies."""
    import_csv(factory, SAMPLE)
    return factory


def write_lines(path: Path, *lines: str) -> Path:
    """A CSV file of the header and the given lines."""
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def sample_rows() -> list[dict[str, str]]:
    """The sample file's rows, to change and write back."""
    with SAMPLE.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def write_rows(path: Path, rows: list[dict[str, str]]) -> Path:
    """A CSV file of the given rows."""
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def agency_count(factory) -> int:
    """Number of stored agencies."""
    with factory() as session:
        return session.scalar(select(func.count()).select_from(Agency))


def agency(factory, license_number: str) -> Agency:
    """The stored agency with that canonical licence number."""
    with factory() as session:
        return session.scalars(select(Agency).where(Agency.license_number == license_number)).one()


def test_sample_file_is_marked_as_sample_and_holds_the_agencies_the_tests_use():
    rows = sample_rows()
    assert len(rows) == 200
    assert {row["source"] for row in rows} == {SAMPLE_SOURCE}
    statuses = Counter(row["status"] for row in rows)
    assert statuses["valid"] > len(rows) / 2 and statuses["expired"] and statuses["suspended"] and statuses["cancelled"]
    named = {row["license_number"]: (row["name"], row["status"]) for row in rows}
    assert named["RL-1234"] == ("Al Noor Overseas", "valid")
    assert named["RL-1024"] == ("Sonar Bangla Manpower Services", "valid")
    assert named["RL-2001"] == ("Green Star International", "expired")
    assert named["RL-2002"] == ("Green Star Overseas", "valid")
    assert named["RL-3003"] == ("Mokka Travels & Recruiting Agency", "suspended")


def test_import_of_the_sample_adds_every_agency(factory):
    summary = import_csv(factory, SAMPLE)

    assert summary == ImportSummary(added=200, updated=0, unchanged=0, marked_missing=0)
    assert agency_count(factory) == 200
    al_noor = agency(factory, "RL-1234")
    assert (al_noor.name, al_noor.status, al_noor.license_expiry) == ("Al Noor Overseas", "valid", date(2027, 6, 30))
    assert al_noor.missing_from_last_import is False and al_noor.updated_at is not None


def test_a_file_with_bad_rows_is_refused_whole_with_every_line_number(sample, tmp_path):
    path = write_lines(
        tmp_path / "bad.csv",
        GOOD_ROW,
        "RL-501,,,1 Road,Dhaka,,valid,2028-01-01,TEST",
        "RL-502,Bad Status Overseas,,1 Road,Dhaka,,approved,2028-01-01,TEST",
        "RL-503,Bad Date Overseas,,1 Road,Dhaka,,valid,31/12/2027,TEST",
        "ABC-504,Bad Licence Overseas,,1 Road,Dhaka,,valid,2028-01-01,TEST",
        "rl 0500,Duplicate Overseas,,1 Road,Dhaka,,valid,2028-01-01,TEST",
        "RL-506,Short Row",
        "RL-507,Two Problems,,,,,,,",
        'RL-508,Quoted Address Overseas,,"House 1,\nRoad 2",Dhaka,,valid,2028-01-01,TEST',
        "RL-509,No Such Day Overseas,,1 Road,Dhaka,,valid,2028-02-30,TEST",
    )

    with pytest.raises(RegistryImportError) as refused:
        import_csv(sample, path)

    assert refused.value.errors == [
        "line 3: name is empty",
        "line 4: status 'approved' is not one of valid, expired, suspended, cancelled",
        "line 5: license_expiry '31/12/2027' is not a date YYYY-MM-DD",
        "line 6: license_number 'ABC-504' is not a licence number like RL-1234",
        "line 7: licence RL-500 is already on line 2",
        "line 8: 2 fields, expected 9",
        "line 9: status is empty",
        "line 9: source is empty",
        "line 12: license_expiry '2028-02-30' is not a date YYYY-MM-DD",
    ]
    assert agency_count(sample) == 200
    with sample() as session:
        assert find_by_license(session, "RL-500") is None
        assert session.scalar(select(func.count()).where(Agency.missing_from_last_import)) == 0


@pytest.mark.parametrize(
    ("content", "error"),
    [
        ("", "line 1: the file is empty; expected the header " + HEADER),
        (HEADER + "\n", "line 2: no agency rows after the header"),
        (HEADER.replace(",status", "") + "\n" + GOOD_ROW, "line 1: missing column 'status'"),
        (HEADER + ",notes\n" + GOOD_ROW + ",x", "line 1: unknown column 'notes'"),
        ((HEADER + "\n" + GOOD_ROW + "\nRL-2,Caf\xe9 Overseas,,,,,valid,,T\n").encode("latin-1"), "line 3: not UTF-8"),
        (HEADER + "\n" + GOOD_ROW.replace("Good Agency", "x" * 10_000), "line 2: name is longer than 200 characters"),
    ],
)
def test_a_broken_file_says_what_is_wrong_and_writes_nothing(factory, tmp_path, content, error):
    path = tmp_path / "broken.csv"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")

    with pytest.raises(RegistryImportError) as refused:
        import_csv(factory, path)

    assert refused.value.errors[0].startswith(error)
    assert agency_count(factory) == 0


def test_columns_may_come_in_any_order_and_a_byte_order_mark_is_accepted(factory, tmp_path):
    path = tmp_path / "excel.csv"
    text = "\ufeffname,license_number," + ",".join(COLUMNS[2:]) + "\nReordered Overseas,RL 77,,,,,VALID,,T\n"
    path.write_text(text, encoding="utf-8")

    assert import_csv(factory, path).added == 1
    stored = agency(factory, "RL-77")
    assert (stored.name, stored.status, stored.address, stored.phone) == ("Reordered Overseas", "valid", "", None)


def test_importing_the_same_file_again_changes_nothing(sample):
    assert import_csv(sample, SAMPLE) == ImportSummary(added=0, updated=0, unchanged=200, marked_missing=0)
    assert agency_count(sample) == 200


def test_a_changed_row_is_updated_and_found_under_its_new_name(sample, tmp_path):
    rows = sample_rows()
    al_noor = next(row for row in rows if row["license_number"] == "RL-1234")
    al_noor.update(name="Kolmilota Overseas", status="suspended")
    with sample() as session:
        assert search_by_name(session, "kolmilota") == []

    summary = import_csv(sample, write_rows(tmp_path / "changed.csv", rows))

    assert summary == ImportSummary(added=0, updated=1, unchanged=199, marked_missing=0)
    stored = agency(sample, "RL-1234")
    assert (stored.name, stored.status) == ("Kolmilota Overseas", "suspended")
    with sample() as session:
        matches = search_by_name(session, "kolmilota")
        assert [match.agency.license_number for match in matches] == ["RL-1234"]
        assert search_by_name(session, "al noor") == []


def test_an_agency_left_out_of_the_file_is_flagged_not_deleted(sample, tmp_path):
    rows = [row for row in sample_rows() if row["license_number"] != "RL-3003"]

    summary = import_csv(sample, write_rows(tmp_path / "shorter.csv", rows))

    assert summary == ImportSummary(added=0, updated=0, unchanged=199, marked_missing=1)
    assert agency_count(sample) == 200
    assert agency(sample, "RL-3003").missing_from_last_import is True
    assert agency(sample, "RL-1234").missing_from_last_import is False

    assert import_csv(sample, SAMPLE) == ImportSummary(added=0, updated=0, unchanged=200, marked_missing=0)
    assert agency(sample, "RL-3003").missing_from_last_import is False


def test_a_dry_run_reports_but_writes_nothing(sample, tmp_path):
    rows = [row for row in sample_rows() if row["license_number"] != "RL-3003"]
    rows[0]["status"] = "cancelled"
    rows.append({**rows[1], "license_number": "RL-9999", "name": "Brand New Overseas"})
    before = agency(sample, rows[0]["license_number"])

    summary = import_csv(sample, write_rows(tmp_path / "next.csv", rows), dry_run=True)

    assert summary == ImportSummary(added=1, updated=1, unchanged=198, marked_missing=1)
    assert agency_count(sample) == 200
    after = agency(sample, rows[0]["license_number"])
    assert (after.status, after.updated_at) == (before.status, before.updated_at)
    assert agency(sample, "RL-3003").missing_from_last_import is False


def test_a_dry_run_on_an_empty_database_adds_nothing(factory):
    assert import_csv(factory, SAMPLE, dry_run=True).added == 200
    assert agency_count(factory) == 0


def test_progress_is_reported_up_to_the_last_row(factory):
    calls = []
    import_csv(factory, SAMPLE, progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (200, 200)
    assert [done for done, _total in calls] == sorted(done for done, _total in calls)


def test_an_export_imports_back_unchanged(sample, tmp_path):
    path = tmp_path / "export.csv"

    assert export_csv(sample, path) == 200

    with path.open(encoding="utf-8", newline="") as file:
        exported = list(csv.DictReader(file))
    numbers = [int(row["license_number"].removeprefix("RL-")) for row in exported]
    assert numbers == sorted(numbers) and len(numbers) == 200
    assert import_csv(sample, path) == ImportSummary(added=0, updated=0, unchanged=200, marked_missing=0)


SPELLINGS = [
    "RL-1234",
    "rl 1234",
    "RL no. 1234",
    "RL No:1234",
    "rl1234",
    "rl-1234",
    "R.L. 1234",
    "RL 01234",
    "is RL 1234 licensed?",
    "RL 1234 ki thik ache?",
    "আরএল ১২৩৪",
    "আর এল ১২৩৪",
    "আরএল নং ১২৩৪",
    "RL ১২৩৪",
]


@pytest.mark.parametrize("text", SPELLINGS)
def test_every_spelling_of_a_licence_number_is_normalised(text):
    assert normalise_license(text) == "RL-1234"


@pytest.mark.parametrize(
    "text",
    ["", "1234", "world 1234", "URL 1234", "RL", "RL 0", "RL 123456", "call +880 1700-000 123", "real 1234"],
)
def test_text_without_a_licence_number_gives_none(text):
    assert normalise_license(text) is None


@pytest.mark.parametrize("text", SPELLINGS)
def test_every_spelling_finds_the_agency(sample, text):
    with sample() as session:
        found = find_by_license(session, text)
    assert found is not None and found.name == "Al Noor Overseas"


def test_an_unknown_or_missing_licence_number_finds_nothing(sample):
    with sample() as session:
        assert find_by_license(session, "RL 4321") is None
        assert find_by_license(session, "is my agency licensed?") is None


def test_suspended_and_expired_agencies_are_found_with_their_status(sample):
    with sample() as session:
        suspended = find_by_license(session, "rl 3003")
        expired = find_by_license(session, "আরএল ২০০১")
        assert (suspended.name, suspended.status) == ("Mokka Travels & Recruiting Agency", "suspended")
        assert (expired.status, expired.license_expiry) == ("expired", date(2025, 3, 31))
        by_name = search_by_name(session, "makka travels")
        assert by_name[0].agency.status == "suspended"


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("al noor", "Al Noor Overseas"),
        ("Al-Noor Overseas Ltd.", "Al Noor Overseas"),
        ("AL NOOR OVERSEAS", "Al Noor Overseas"),
        ("alnoor", "Al Noor Overseas"),
        ("al nur", "Al Noor Overseas"),
        ("al noorr oversees", "Al Noor Overseas"),
        ("is Al Noor Overseas licensed?", "Al Noor Overseas"),
        ("al noor ki thik ache", "Al Noor Overseas"),
        ("আল নূর ওভারসিজ", "Al Noor Overseas"),
        ("আল নুর", "Al Noor Overseas"),
        ("jamuna overses", "Jamuna Overseas"),
        ("jomuna", "Jamuna Overseas"),
        ("shonar bangla", "Sonar Bangla Manpower Services"),
        ("sonar bangla manpowr", "Sonar Bangla Manpower Services"),
        ("Sonar Bangla Man Power Service", "Sonar Bangla Manpower Services"),
        ("makka travels and recruiting", "Mokka Travels & Recruiting Agency"),
    ],
)
def test_names_are_found_despite_typos_filler_words_and_spelling(sample, query, name):
    with sample() as session:
        matches = search_by_name(session, query)
    assert classify(matches) == "one"
    assert matches[0].agency.name == name


def test_a_name_with_a_typo_is_still_offered(sample):
    with sample() as session:
        matches = search_by_name(session, "jamuan overseas")
    assert [match.agency.name for match in matches] == ["Jamuna Overseas"]


def test_green_star_is_ambiguous(sample):
    with sample() as session:
        matches = search_by_name(session, "green star")
    assert classify(matches) == "several"
    assert {match.agency.license_number for match in matches[:2]} == {"RL-2001", "RL-2002"}
    assert {match.agency.status for match in matches[:2]} == {"expired", "valid"}


@pytest.mark.parametrize("query", ["xyzzy plover", "", "   ", "is it licensed?", "overseas", "al"])
def test_an_unknown_name_finds_nothing(sample, query):
    with sample() as session:
        matches = search_by_name(session, query)
    assert matches == []
    assert classify(matches) == "none"


def test_the_limit_caps_the_matches(sample):
    with sample() as session:
        assert len(search_by_name(session, "shapla", limit=3)) == 3
        assert len(search_by_name(session, "shapla", limit=1)) == 1


@pytest.mark.parametrize(
    ("scores", "verdict"),
    [
        ([], "none"),
        ([100], "one"),
        ([95, 80], "one"),
        ([100, 100], "several"),
        ([95, 90], "several"),
        ([85], "several"),
    ],
)
def test_classify_wants_a_sure_match_well_ahead_of_the_next(scores, verdict):
    assert classify([Match(Agency(name=f"agency {score}"), score) for score in scores]) == verdict


@pytest.mark.parametrize(
    "text", ["'; DROP TABLE agencies; --", "%", "_", "%%", "al noor'; DELETE FROM agencies; --", "RL 1234' OR '1'='1"]
)
def test_sql_metacharacters_are_only_text(sample, text):
    with sample() as session:
        by_license = find_by_license(session, text)
        by_name = search_by_name(session, text)
    assert by_license is None or by_license.license_number == "RL-1234"
    assert len(by_name) <= 1
    assert agency_count(sample) == 200


def test_wildcards_match_nothing(sample):
    with sample() as session:
        assert search_by_name(session, "%") == []
        assert find_by_license(session, "RL %") is None


def test_very_long_input_is_handled_quickly(sample):
    started = time.perf_counter()
    with sample() as session:
        assert search_by_name(session, "x" * 10_000) == []
        assert search_by_name(session, "al noor " + "x" * 10_000)[0].agency.license_number == "RL-1234"
        assert find_by_license(session, "y " * 5_000 + "RL 1234").license_number == "RL-1234"
        assert find_by_license(session, "RL " * 3_400) is None
    assert time.perf_counter() - started < 2
