"""`python -m bot agencies import|export` on the test database."""

import csv

import pytest

from bot.cli import main
from tests.topics.test_agency_answers import SAMPLE


@pytest.fixture
def cli_env(monkeypatch, service_env, engine):
    for key in ("INSTANCE_PATH", "DATABASE_URL"):
        monkeypatch.setenv(key, service_env[key])


def test_import_then_dry_run_then_export(cli_env, capsys, tmp_path):
    assert main(["agencies", "import", str(SAMPLE)]) == 0
    assert "added 200, updated 0, unchanged 0, marked missing 0" in capsys.readouterr().out
    assert main(["agencies", "import", "--dry-run", str(SAMPLE)]) == 0
    assert "dry run, nothing changed: would have added 0, updated 0, unchanged 200" in capsys.readouterr().out
    exported = tmp_path / "out.csv"
    assert main(["agencies", "export", str(exported)]) == 0
    assert exported.read_text(encoding="utf-8") == SAMPLE.read_text(encoding="utf-8")


def test_a_broken_file_is_refused_with_line_numbers(cli_env, capsys, tmp_path):
    with SAMPLE.open(encoding="utf-8") as sample:
        rows = list(csv.DictReader(sample))
    rows[2]["status"] = "licensed-ish"  # the third agency is on line 4, after the header
    broken = tmp_path / "broken.csv"
    with broken.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    assert main(["agencies", "import", str(broken)]) == 1
    assert "line 4:" in capsys.readouterr().err
    assert main(["agencies", "import", "--dry-run", str(SAMPLE)]) == 0
    assert "would have added 200" in capsys.readouterr().out


def test_a_missing_file_is_a_clear_error(cli_env, capsys, tmp_path):
    assert main(["agencies", "import", str(tmp_path / "nope.csv")]) == 1
    assert "cannot read" in capsys.readouterr().err
