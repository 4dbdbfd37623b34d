"""Opens hotline cases for console tests, one new person each, and changes them as time or other screens would."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import count

from sqlalchemy import update

from bot.models import Case
from tests.console_client import open_case

PERSON_TEXT = "please help"


@dataclass
class CaseFactory:
    """Cases on the test database, for people with distinct phone numbers."""

    engine: object
    vault: object
    settings: object
    numbers: count = field(default_factory=count)

    def open(self, priority: str = "normal", country: str | None = None) -> int:
        """Open a case (the person wrote PERSON_TEXT); return its id."""
        signal = {"priority": priority, "intent": "action_report_abuse", "country": country}
        return open_case(self.engine, self.vault, self.settings, signal, self.address(next(self.numbers)), PERSON_TEXT)

    @staticmethod
    def address(number: int) -> str:
        """The phone number of the nth person."""
        return f"+88017{number:08d}"

    def change(self, case_id: int, **values) -> None:
        """Set columns of a case directly."""
        with self.engine.begin() as connection:
            connection.execute(update(Case).where(Case.id == case_id).values(**values))
