"""The case page's casework forms through Flask's test client: types, resolve with an outcome, referrals, partners,
follow-ups and the person's other cases (CSRF, roles, validation, audit)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from bot.db import make_session_factory
from bot.hotline.audit import AuditLog
from bot.hotline.referrals import Referrals
from bot.models import Case, CaseLabel, CaseNote, Referral, ReferralPartner, utcnow
from tests.console_client import logged_in, open_case, open_next_case

PASSPORT = {"priority": "urgent", "intent": "action_report_abuse"}
ADDRESS = "+8801712345678"


@pytest.fixture
def counsellor(app, engine):
    return logged_in(app, engine, "rina", "counsellor")


@pytest.fixture
def admin(app, engine):
    return logged_in(app, engine, "boss", "admin")


@pytest.fixture
def sessions(engine):
    return make_session_factory(engine)


@pytest.fixture
def case_id(engine, vault, settings):
    return open_case(engine, vault, settings, PASSPORT, ADDRESS, "they took my passport, no salary 3 months")


@pytest.fixture
def partner_id(sessions, vault) -> int:
    Referrals(sessions, vault).add_partner(None, "Safe house Dhaka")
    with sessions() as session:
        return session.scalar(select(ReferralPartner.id).where(ReferralPartner.name == "Safe house Dhaka"))


def actions(sessions, case_id: int | None = None) -> list[tuple[str, str]]:
    return [(row.action, row.detail) for row in AuditLog(sessions).newest(case_id=case_id)]


def checked(html: str) -> set[str]:
    """The values of the checked checkboxes of a page."""
    return set(re.findall(r'<input checked[^>]* value="([^"]+)"', html))


def page(user, case_id: int) -> str:
    return user.client.get(f"/console/cases/{case_id}").get_data(as_text=True)


CASE_FORMS = ["classify", "referrals", "referrals/1/status", "follow-up", "follow-up/clear", "resolve"]


@pytest.mark.parametrize("form", CASE_FORMS)
def test_every_casework_form_refuses_a_post_without_the_csrf_token(counsellor, case_id, form, sessions):
    response = counsellor.client.post(f"/console/cases/{case_id}/{form}", data={"outcome": "referred", "days": "3"})
    assert response.status_code == 400
    with sessions() as session:
        case = session.get(Case, case_id)
        assert (case.status, case.follow_up_at, case.classified_at) == ("open", None, None)


def test_types_are_proposed_from_the_report_then_saved_by_the_counsellor(counsellor, case_id, sessions):
    shown = page(counsellor, case_id)
    assert "Proposed from what the person reported" in shown
    # "passport" proposes document confiscation, "salary" wage theft (bot.hotline.case_types).
    assert checked(shown) == {
        "document_confiscation", "retention_of_documents", "wage_theft", "withholding_of_wages"
    }  # fmt: skip
    response = counsellor.post(
        f"/console/cases/{case_id}/classify", types=["wage_theft", "confinement"], indicators=["debt_bondage"]
    )
    assert response.status_code == 302
    with sessions() as session:
        labels = set(session.execute(select(CaseLabel.kind, CaseLabel.code).where(CaseLabel.case_id == case_id)))
    assert labels == {("type", "wage_theft"), ("type", "confinement"), ("indicator", "debt_bondage")}
    assert ("classify", "confinement,debt_bondage,wage_theft") in actions(sessions, case_id)
    shown = page(counsellor, case_id)
    assert "Proposed from what the person reported" not in shown
    assert checked(shown) == {"wage_theft", "confinement", "debt_bondage"}


def test_an_unknown_type_is_refused(counsellor, case_id, sessions):
    response = counsellor.post(f"/console/cases/{case_id}/classify", types=["kidnapped_by_aliens"])
    assert response.status_code == 400
    with sessions() as session:
        assert session.scalars(select(CaseLabel)).all() == []


def test_resolve_is_refused_without_an_outcome_and_done_with_one(counsellor, case_id, sessions):
    refused = counsellor.post(f"/console/cases/{case_id}/resolve")
    assert refused.status_code == 400
    assert "choose the outcome to resolve the case" in refused.get_data(as_text=True)
    assert counsellor.post(f"/console/cases/{case_id}/resolve", outcome="erased").status_code == 400
    with sessions() as session:
        assert session.get(Case, case_id).status == "open"
    assert counsellor.post(f"/console/cases/{case_id}/resolve", outcome="referred").status_code == 302
    with sessions() as session:
        case = session.get(Case, case_id)
        assert (case.status, case.outcome) == ("resolved", "referred")
    assert ("resolve", "referred") in actions(sessions, case_id)


def test_a_referral_is_made_with_an_encrypted_note_and_its_status_changed(
    counsellor, case_id, partner_id, sessions, vault
):
    today = utcnow().date().isoformat()
    made = counsellor.post(
        f"/console/cases/{case_id}/referrals", partner=str(partner_id), status="made", referred_on=today,
        note="bed for two nights",
    )  # fmt: skip
    assert made.status_code == 302
    with sessions() as session:
        referral = session.scalars(select(Referral)).one()
        note = session.get(CaseNote, referral.note_id)
        assert "bed for two" not in note.text_encrypted
        assert vault.decrypt(note.text_encrypted) == "Referral to Safe house Dhaka: bed for two nights"
        referral_id = referral.id
    shown = page(counsellor, case_id)
    assert "Referral to Safe house Dhaka: bed for two nights" in shown and today in shown
    changed = counsellor.post(f"/console/cases/{case_id}/referrals/{referral_id}/status", status="accepted")
    assert changed.status_code == 302
    with sessions() as session:
        assert session.get(Referral, referral_id).status == "accepted"
    assert [entry for entry in actions(sessions, case_id) if entry[0].startswith("referral")] == [
        ("referral_status", "Safe house Dhaka: made -> accepted"),
        ("referral_made", "Safe house Dhaka: made"),
    ]


def test_a_referral_needs_a_partner_a_known_status_and_a_short_note(counsellor, case_id, partner_id, sessions):
    today = utcnow().date().isoformat()
    base = {"partner": str(partner_id), "status": "made", "referred_on": today}
    assert counsellor.post(f"/console/cases/{case_id}/referrals", **{**base, "partner": "0"}).status_code == 400
    assert counsellor.post(f"/console/cases/{case_id}/referrals", **{**base, "status": "lost"}).status_code == 400
    assert counsellor.post(f"/console/cases/{case_id}/referrals", **{**base, "note": "x" * 301}).status_code == 400
    assert counsellor.post(f"/console/cases/{case_id}/referrals", **{**base, "referred_on": ""}).status_code == 400
    with sessions() as session:
        assert session.scalars(select(Referral)).all() == []


def test_only_admins_edit_partners_and_each_change_is_audited(counsellor, admin, sessions):
    assert counsellor.client.get("/console/partners").status_code == 403
    assert counsellor.post("/console/partners", name="Legal aid BLAST").status_code == 403
    assert admin.post("/console/partners", name="  Legal   aid  BLAST ").status_code == 302
    with sessions() as session:
        partner = session.scalars(select(ReferralPartner).where(ReferralPartner.name == "Legal aid BLAST")).one()
    assert partner.name == "Legal aid BLAST"
    assert counsellor.post(f"/console/partners/{partner.id}/active", active="0").status_code == 403
    admin.post(f"/console/partners/{partner.id}/rename", name="Legal aid (BLAST Dhaka)")
    admin.post(f"/console/partners/{partner.id}/active", active="0")
    duplicate = admin.post("/console/partners", name="Legal aid (BLAST Dhaka)")
    assert "a partner named Legal aid (BLAST Dhaka) exists" in admin.client.get(duplicate.headers["Location"]).get_data(
        as_text=True
    )
    with sessions() as session:
        partner = session.get(ReferralPartner, partner.id)
        assert (partner.name, partner.active) == ("Legal aid (BLAST Dhaka)", False)
    assert actions(sessions)[:3] == [
        ("partner_active", "Legal aid (BLAST Dhaka): False"),
        ("partner_renamed", "Legal aid BLAST -> Legal aid (BLAST Dhaka)"),
        ("partner_added", "Legal aid BLAST"),
    ]


def test_an_inactive_partner_is_not_offered_and_refused(counsellor, case_id, partner_id, sessions, vault):
    Referrals(sessions, vault).set_partner_active(None, partner_id, False)
    assert "Safe house Dhaka" not in page(counsellor, case_id)
    today = utcnow().date().isoformat()
    response = counsellor.post(
        f"/console/cases/{case_id}/referrals", partner=str(partner_id), status="made", referred_on=today
    )
    assert response.status_code == 400


def test_a_follow_up_on_a_resolved_case_brings_it_back_to_the_top_of_the_queue(
    counsellor, engine, vault, settings, sessions
):
    waiting = open_case(engine, vault, settings, PASSPORT, "+8801799999999", "help")
    case_id = open_case(engine, vault, settings, {"priority": "normal"}, ADDRESS, "can I talk to someone")
    assert counsellor.post(f"/console/cases/{case_id}/follow-up", days="3").status_code == 302
    counsellor.post(f"/console/cases/{case_id}/resolve", outcome="information_given")
    queue = counsellor.client.get("/console/").get_data(as_text=True)
    assert f"#{case_id}<" not in queue and "follow-up due" not in queue
    # Three days pass.
    with sessions() as session, session.begin():
        session.execute(update(Case).where(Case.id == case_id).values(follow_up_at=utcnow() - timedelta(minutes=1)))
    queue = counsellor.client.get("/console/").get_data(as_text=True)
    assert queue.index(f"#{case_id}<") < queue.index(f"#{waiting}<")
    assert "follow-up due" in queue
    assert "follow-up due" in page(counsellor, case_id)
    assert counsellor.post(f"/console/cases/{case_id}/follow-up/clear").status_code == 302
    queue = counsellor.client.get("/console/").get_data(as_text=True)
    assert f"#{case_id}<" not in queue and "follow-up due" not in queue
    assert [action for action, _ in actions(sessions, case_id) if action.startswith("follow_up")] == [
        "follow_up_cleared",
        "follow_up_set",
    ]


@pytest.mark.parametrize(
    "fields", [{}, {"days": "0"}, {"days": "400"}, {"days": "2", "on": "2030-01-01"}, {"on": "2001-01-01"}]
)
def test_a_follow_up_needs_days_or_a_date_ahead(counsellor, case_id, sessions, fields):
    assert counsellor.post(f"/console/cases/{case_id}/follow-up", **fields).status_code in (302, 400)
    with sessions() as session:
        assert session.get(Case, case_id).follow_up_at is None


def test_a_follow_up_on_a_date_is_due_at_the_start_of_that_day(counsellor, case_id, sessions):
    day = utcnow().date() + timedelta(days=10)
    assert counsellor.post(f"/console/cases/{case_id}/follow-up", on=day.isoformat()).status_code == 302
    with sessions() as session:
        assert session.get(Case, case_id).follow_up_at.strftime("%Y-%m-%d %H:%M") == f"{day.isoformat()} 00:00"


def test_the_case_page_lists_the_persons_other_cases_with_types_and_outcome(counsellor, engine, vault, settings):
    first = open_case(engine, vault, settings, PASSPORT, ADDRESS, "they took my passport")
    counsellor.post(f"/console/cases/{first}/classify", types=["document_confiscation"])
    counsellor.post(f"/console/cases/{first}/resolve", outcome="referred")
    second = open_next_case(engine, vault, settings, first, {"priority": "normal"}, "again a problem")
    other_person = open_case(engine, vault, settings, {"priority": "normal"}, "+8801700000000", "hello")
    shown = page(counsellor, second)
    history = shown.split("Other cases of this person")[1]
    assert f'href="/console/cases/{first}"' in history
    assert "Passport or document confiscation" in history and "(Referred)" in history
    assert f"/console/cases/{other_person}" not in history
    # The earlier case's page has its messages.
    assert "they took my passport" in page(counsellor, first)
