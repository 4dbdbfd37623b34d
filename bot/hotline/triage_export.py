"""`python -m bot triage export FILE`: closed cases as labelled triage data, decrypted only into that file.

A case a counsellor or the person closed as a false alarm is labelled "no"; an urgent case a counsellor answered and
closed otherwise is labelled "danger_now". The message that opened the case is the text. The file holds people's
words: it is written readable by its owner only, to be reviewed and anonymised before it joins data/triage/.
"""

from __future__ import annotations

import argparse
import os
import sys

import yaml
from sqlalchemy import select

from bot.db import command_sessions
from bot.models import Case, Message, utcnow
from bot.settings import Settings
from bot.vault import Vault


def add_parser(commands: argparse._SubParsersAction) -> None:
    """Register the `triage` command and its `export` subcommand."""
    triage = commands.add_parser("triage", help="export closed cases as labelled triage data")
    actions = triage.add_subparsers(dest="triage_command", required=True)
    export = actions.add_parser("export", help="write false alarms and confirmed cases to a YAML file")
    export.add_argument("file")


def label_of(case: Case) -> str | None:
    """The triage label a closed case teaches, or None when it teaches nothing sure."""
    if case.outcome == Case.FALSE_ALARM:
        return "no"
    if case.priority == Case.URGENT and case.first_reply_at is not None:
        return "danger_now"
    return None


def labelled_messages(sessions, vault: Vault) -> list[dict]:
    """Each closed case with a label: the text that opened it, the label, the form and the case's intent as tag."""
    query = (
        select(Case, Message.text_encrypted)
        .join(Message, Message.id == Case.trigger_message_id)
        .where(Case.status == Case.RESOLVED)
        .order_by(Case.id)
    )
    with sessions() as session:
        rows = session.execute(query).all()
    return [
        {"text": vault.decrypt(text), "label": label, "form": case.language or "", "tag": case.intent}
        for case, text in rows
        if text and (label := label_of(case))
    ]


def run(settings: Settings, args: argparse.Namespace) -> int:
    """Write the file (owner-readable only) and say how many messages of each label it holds."""
    vault = Vault(settings.encryption_keys, settings.pseudonym_key)
    with command_sessions(settings.database_url) as sessions:
        messages = labelled_messages(sessions, vault)
    header = f"# Exported from hotline cases on {utcnow():%Y-%m-%d}. People's words: review and anonymise first.\n"
    descriptor = os.open(args.file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(header + yaml.safe_dump({"messages": messages}, allow_unicode=True, sort_keys=False))
    counts = {label: sum(item["label"] == label for item in messages) for label in ("danger_now", "no")}
    print(f"exported {len(messages)} messages to {args.file}: {counts}", file=sys.stderr)
    return 0
