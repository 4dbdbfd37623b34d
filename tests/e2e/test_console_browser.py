"""In headless Chromium, against the real webhook, Rasa and action server: an SMS report becomes an urgent case, a
counsellor answers it through the console, resolves it, and the bot answers the person again."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import select

from bot.db import make_session_factory
from bot.messaging.notices import notice
from bot.models import Case, Message
from bot.settings import PROJECT_ROOT
from tests.console_client import PASSWORD, add_staff, open_case

pytestmark = pytest.mark.e2e

SCREENSHOTS = PROJECT_ROOT / "reports" / "console"
REPORT = "they took my passport and lock me in room"
REPLY = "We are with you. Are you safe to talk now? Reply here."


def twiml_texts(response) -> list[str]:
    """The texts of the <Message> elements of a TwiML answer."""
    assert response.status_code == 200
    return [element.text or "" for element in ET.fromstring(response.data).iter("Message")]


def answers(response, recorder, address: str, before: int) -> list[str]:
    """What the person got for one message: in the TwiML answer, or sent through the API afterwards."""
    return twiml_texts(response) + recorder.to(address)[before:]


def test_sms_report_to_urgent_case_answered_resolved_and_back_to_the_bot(
    rasa_stack, app, engine, vault, settings, sms, recorder, browser, console_url, tmp_path
):
    sessions = make_session_factory(engine)
    # Someone else has waited longer with a normal case: the urgent one must still come first.
    open_case(engine, vault, settings, {"priority": "normal"}, "+8801711111111", "can I talk to someone")
    sms.send("how much should I pay to go to saudi arabia")  # an earlier question: not part of the case
    first = answers(sms.send(REPORT), recorder, sms.sender, 0)
    # The earlier question named Saudi Arabia: the emergency answer gives its number.
    assert any("911" in text and "9610102030" in text for text in first), first
    with sessions() as session:
        case = session.scalar(select(Case).where(Case.priority == Case.URGENT))
    assert case.status == "open"
    # Nobody has taken the case yet: the bot still answers.
    assert twiml_texts(sms.send("please help fast")) != []

    add_staff(engine, "rina", "counsellor")
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(console_url + "/")
    assert "/console/login" in page.url
    page.fill("input[name=username]", "rina")
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('Log in')")
    page.wait_for_url(console_url + "/")
    rows = page.locator("table.queue tbody tr")
    assert rows.count() == 2
    first_row = rows.first
    assert "urgent" in first_row.inner_text() and f"#{case.id}" in first_row.inner_text()
    assert "normal" in rows.nth(1).inner_text()
    shoot(page, tmp_path, "queue.png")

    first_row.locator("a").click()
    transcript = page.locator("ol.transcript")
    assert REPORT in transcript.inner_text() and "please help fast" in transcript.inner_text()
    assert "how much should I pay" not in transcript.inner_text()
    assert sms.sender not in page.content()  # masked until revealed
    shoot(page, tmp_path, "case.png")

    sent_before = len(recorder.to(sms.sender))
    page.fill("form[action$='/reply'] textarea", REPLY)
    page.click("button:has-text('Send reply')")
    assert "Reply sent." in page.inner_text("main")
    assert recorder.to(sms.sender)[sent_before:] == [REPLY]
    assert "Counsellor" in page.locator("ol.transcript li").last.inner_text()
    # The counsellor has replied: now the bot is silent and the person's words go to the counsellor.
    assert twiml_texts(sms.send("thank you sister")) == []

    page.select_option("form[action$='/resolve'] select", "resolved_with_person")
    page.click("button:has-text('Resolve')")
    assert "Resolved" in page.inner_text("main")
    assert recorder.to(sms.sender)[-1] == notice("bot_back", "en")
    shoot(page, tmp_path, "case-resolved.png")

    before = len(recorder.to(sms.sender))
    again = answers(sms.send("how much should I pay to go to saudi arabia"), recorder, sms.sender, before)
    assert any("1,65,000" in text for text in again), again
    with sessions() as session:
        statuses = [m.status for m in session.scalars(select(Message).where(Message.sender == Message.PERSON))]
    assert Message.FOR_STAFF in statuses


def shoot(page, tmp_path, name: str) -> None:
    """Save a screenshot in the test's folder and under reports/console/ (git-ignored)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(tmp_path / name), full_page=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)
