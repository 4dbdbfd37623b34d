"""In headless Chromium, a counsellor's day: the queue filtered to "assigned to me", then on the case page types and
indicators, a referral, a follow-up, resolve (refused without an outcome), the follow-up coming back into the queue
when due, and the person's history on their next case."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from bot.db import make_session_factory
from bot.hotline.referrals import Referrals
from bot.models import Case, utcnow
from tests.console_client import PASSWORD, add_staff, open_case, open_next_case
from tests.e2e.test_console_browser import shoot

pytestmark = pytest.mark.e2e

ADDRESS = "+8801712345678"


def test_a_counsellors_day_on_the_case_page(app, engine, vault, settings, browser, console_url, tmp_path):
    sessions = make_session_factory(engine)
    Referrals(sessions, vault).add_partner(None, "BMET Dhaka office")
    other = open_case(engine, vault, settings, {"priority": "urgent"}, "+8801799999999", "help me")
    case_id = open_case(
        engine,
        vault,
        settings,
        {"priority": "normal", "intent": "action_report_abuse"},
        ADDRESS,
        "boss has my passport",
    )
    add_staff(engine, "rina", "counsellor")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(console_url + "/")
    page.fill("input[name=username]", "rina")
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('Log in')")
    page.wait_for_url(console_url + "/")
    page.click(f"a:has-text('#{case_id}')")
    page.click("button:has-text('Assign to me')")
    # The day starts from the queue filtered to "assigned to me": this case only, not the other urgent one.
    page.goto(console_url + "/")
    page.check("input[name=mine]")
    page.click("form.queue-filters button:has-text('Filter')")
    mine = page.inner_text("table.queue")
    assert f"#{case_id}" in mine and f"#{other}" not in mine
    page.click(f"table.queue a:has-text('#{case_id}')")

    # Types: "passport" in the report proposes document confiscation; the counsellor adds wage theft and an indicator.
    assert page.is_checked("input[name=types][value=document_confiscation]")
    page.check("input[name=types][value=wage_theft]")
    page.check("input[name=indicators][value=withholding_of_wages]")
    page.click("button:has-text('Save types')")
    assert "Types saved." in page.inner_text("main")
    assert page.is_checked("input[name=types][value=wage_theft]")
    assert page.is_checked("input[name=indicators][value=withholding_of_wages]")

    page.select_option("form.referral-form select[name=partner]", label="BMET Dhaka office")
    page.fill("form.referral-form textarea[name=note]", "complaint about the agency filed")
    page.click("button:has-text('Make a referral')")
    assert "Referral recorded." in page.inner_text("main")
    assert "Referral to BMET Dhaka office: complaint about the agency filed" in page.inner_text("table.referrals")
    page.select_option("table.referrals select[name=status]", "accepted")
    page.click("table.referrals button:has-text('Change')")
    assert "Referral status changed." in page.inner_text("main")
    assert page.input_value("table.referrals select[name=status]") == "accepted"

    page.fill("input[name=days]", "7")
    page.click("button:has-text('Set follow-up')")
    assert "Follow-up set" in page.inner_text("main")

    # Without an outcome the browser itself refuses the form (the select is required; the server refuses it too).
    page.click("form.resolve button:has-text('Resolve')")
    assert page.locator("form.resolve select").evaluate("select => select.validity.valueMissing")
    with sessions() as session:
        assert session.get(Case, case_id).status == "assigned"
    page.select_option("form.resolve select", "referred")
    page.click("form.resolve button:has-text('Resolve')")
    assert "Resolved" in page.inner_text("main") and "(referred)" in page.inner_text("main")
    shoot(page, tmp_path, "casework-resolved.png")

    page.goto(console_url + "/")
    assert f"#{case_id}" not in page.inner_text("main")
    # A week passes: the follow-up is due and the resolved case comes back, above the urgent one.
    with sessions() as session, session.begin():
        session.execute(update(Case).where(Case.id == case_id).values(follow_up_at=utcnow() - timedelta(minutes=1)))
    page.goto(console_url + "/")
    rows = page.locator("table.queue tbody tr")
    assert f"#{case_id}" in rows.first.inner_text() and "follow-up due" in rows.first.inner_text()
    assert f"#{other}" in rows.nth(1).inner_text()
    shoot(page, tmp_path, "casework-follow-up-due.png")
    rows.first.locator("a").click()
    page.click("button:has-text('Clear follow-up')")
    page.goto(console_url + "/")
    assert f"#{case_id}" not in page.inner_text("main")

    # The same person writes again: their new case lists the first, whose page has the earlier messages.
    second = open_next_case(engine, vault, settings, case_id, {"priority": "normal"}, "they still have my passport")
    page.goto(f"{console_url}/cases/{second}")
    history = page.locator("ul.history")
    assert f"#{case_id}" in history.inner_text()
    assert "Passport or document confiscation" in history.inner_text() and "Referred" in history.inner_text()
    history.locator("a").first.click()
    assert "boss has my passport" in page.inner_text("ol.transcript")
