"""Phone numbers and chat ids never reach the logs."""

import logging

import pytest

from bot.ops.log_privacy import PersonalDataFilter, mask_personal_data


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("from +8801711000001 said hi", "from [number] said hi"),
        ("whatsapp:+8801711000001", "whatsapp:[number]"),
        ("number 01711-000-001 and 01711 000 001", "number [number] and [number]"),
        ("telegram chat 987654321 wrote", "telegram chat [number] wrote"),
        ("message 42 at 2026-11-25 12:30, RL-1234, Tk 165000", "message 42 at 2026-11-25 12:30, RL-1234, Tk 165000"),
    ],
)
def test_numbers_are_masked_and_other_figures_kept(text, expected):
    assert mask_personal_data(text) == expected


def test_the_filter_masks_formatted_log_records(caplog):
    logger = logging.getLogger("tests.privacy")
    caplog.handler.addFilter(PersonalDataFilter())
    with caplog.at_level(logging.INFO):
        logger.info("reply to %s failed", "+8801711000001")
    assert "8801711000001" not in caplog.text
    assert "reply to [number] failed" in caplog.text


def test_the_webhook_app_masks_numbers_in_every_log_handler(app, caplog):
    root_handlers = logging.getLogger().handlers
    assert root_handlers
    assert all(any(isinstance(f, PersonalDataFilter) for f in handler.filters) for handler in root_handlers)
    with caplog.at_level(logging.INFO):
        logging.getLogger("webhook.channels.twilio").warning("could not answer %s", "whatsapp:+8801799888777")
    assert "8801799888777" not in caplog.text and "[number]" in caplog.text
