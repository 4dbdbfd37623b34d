"""Keep phone numbers and chat ids out of every log line, whatever code wrote it."""

from __future__ import annotations

import logging
import re

# Nine or more digits, possibly with a leading + and spaces or dashes between them: phone numbers, chat ids
# (ISO dates are not numbers of people).
PHONE_OR_ID = re.compile(r"(?<![\w.])(?!\d{4}-\d{2}-\d{2})\+?\d(?:[\s\-]?\d){8,}(?![\w.])")
MASK = "[number]"


def mask_personal_data(text: str) -> str:
    """The text with every phone number or numeric chat id replaced by a mask."""
    return PHONE_OR_ID.sub(MASK, text)


class PersonalDataFilter(logging.Filter):
    """A logging filter that masks phone numbers and chat ids in the formatted message."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's message with numbers masked; never drop the record."""
        message = record.getMessage()
        masked = mask_personal_data(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


def install(level: int = logging.INFO) -> None:
    """Make sure the root logger has a handler, and mask numbers on every root handler."""
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    for handler in root.handlers:
        if not any(isinstance(existing, PersonalDataFilter) for existing in handler.filters):
            handler.addFilter(PersonalDataFilter())
