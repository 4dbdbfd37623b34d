"""`python -m bot triage export`: false alarms and answered urgent cases become labelled data, in a private file."""

import argparse
import stat

import yaml

from bot.db import make_session_factory
from bot.hotline.casework import Casework
from bot.hotline.handoff import CaseHandoff
from bot.hotline.triage_export import run
from bot.models import Case
from tests.hotline_fakes import FakeAlerts, FakeDelivery, add_person


def test_export_labels_closed_cases_and_keeps_the_file_private(engine, vault, settings, tmp_path, capsys):
    sessions = make_session_factory(engine)
    handoff, casework = (
        CaseHandoff(sessions, vault, settings, FakeDelivery(), FakeAlerts()),
        Casework(sessions, vault, FakeDelivery()),
    )
    urgent = {"priority": "urgent", "intent": "action_report_abuse"}
    alarm = add_person(sessions, vault, "+8801700000021", "what if they take my passport")
    handoff.escalate(alarm, urgent, "en", "sms")
    handoff.withdraw(alarm)
    real = add_person(sessions, vault, "+8801700000022", "madam locked me in the kitchen")
    handoff.escalate(real, urgent, "en", "sms")
    with sessions() as session:
        real_case = session.query(Case).filter(Case.open_contact_id == real).one().id
    casework.reply(real_case, staff_id=None, text="We are here.")
    casework.resolve(real_case, staff_id=None)
    still_open = add_person(sessions, vault, "+8801700000023", "help me please")
    handoff.escalate(still_open, urgent, "en", "sms")

    target = tmp_path / "triage-export.yml"
    assert run(settings, argparse.Namespace(file=str(target))) == 0
    exported = yaml.safe_load(target.read_text(encoding="utf-8"))["messages"]
    assert [(item["text"], item["label"]) for item in exported] == [
        ("what if they take my passport", "no"),
        ("madam locked me in the kitchen", "danger_now"),
    ]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert "exported 2 messages" in capsys.readouterr().err
