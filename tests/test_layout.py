"""The test tree mirrors the packages; pytest imports test modules by file name, so each name is used once."""

from collections import Counter

from bot.settings import PROJECT_ROOT


def test_every_test_module_name_is_unique():
    names = Counter(path.name for path in (PROJECT_ROOT / "tests").rglob("test_*.py"))
    assert [name for name, count in names.items() if count > 1] == []
