"""Referrals of a case's person to partner organisations, and the partner list admins keep; every change audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.db import transaction
from bot.hotline import audit
from bot.hotline.casework import CaseworkError
from bot.models import Case, CaseNote, Referral, ReferralPartner
from bot.vault import Vault

MAX_PARTNER_CHARS = 80
MAX_REFERRAL_NOTE_CHARS = 300


@dataclass(frozen=True)
class ReferralRow:
    """One referral as the case page shows it."""

    id: int
    partner: str
    status: str
    referred_on: date
    note: str


def case_referrals(session: Session, vault: Vault, case_id: int) -> list[ReferralRow]:
    """The case's referrals, oldest first, with their notes decrypted."""
    query = select(Referral).where(Referral.case_id == case_id).order_by(Referral.id)
    return [
        ReferralRow(
            referral.id,
            referral.partner.name,
            referral.status,
            referral.referred_on,
            vault.decrypt(referral.note.text_encrypted) if referral.note else "",
        )
        for referral in session.scalars(query)
    ]


class Referrals:
    """Partners (admins add, rename, deactivate) and referrals on cases (counsellors make them, change status)."""

    def __init__(self, sessions: sessionmaker, vault: Vault) -> None:
        self._sessions = sessions
        self._vault = vault

    def partners(self, active_only: bool = False) -> list[ReferralPartner]:
        """The partners by name, optionally only the active ones."""
        query = select(ReferralPartner).order_by(ReferralPartner.name)
        if active_only:
            query = query.where(ReferralPartner.active.is_(True))
        with self._sessions() as session:
            return list(session.scalars(query))

    def add_partner(self, staff_id: int, name: str) -> None:
        """Add a partner."""
        with transaction(self._sessions) as session:
            name = self._free_name(session, name)
            session.add(ReferralPartner(name=name, active=True))
            audit.record(session, staff_id, audit.PARTNER_ADDED, detail=name)

    def rename_partner(self, staff_id: int, partner_id: int, name: str) -> None:
        """Give a partner a new name (its referrals follow)."""
        with transaction(self._sessions) as session:
            partner = self._partner(session, partner_id)
            name = self._free_name(session, name)
            audit.record(session, staff_id, audit.PARTNER_RENAMED, detail=f"{partner.name} -> {name}")
            partner.name = name

    def set_partner_active(self, staff_id: int, partner_id: int, active: bool) -> None:
        """Offer a partner for new referrals again, or no more (its referrals stay)."""
        with transaction(self._sessions) as session:
            partner = self._partner(session, partner_id)
            partner.active = active
            audit.record(session, staff_id, audit.PARTNER_ACTIVE, detail=f"{partner.name}: {active}")

    def refer(self, case_id: int, staff_id: int, partner_id: int, status: str, on: date, note: str) -> None:
        """Record a referral of the case's person; its note is kept encrypted as a case note."""
        note = note.strip()
        if status not in Referral.STATUSES:
            raise CaseworkError("unknown referral status")
        if len(note) > MAX_REFERRAL_NOTE_CHARS:
            raise CaseworkError(f"a referral note has at most {MAX_REFERRAL_NOTE_CHARS} characters")
        with transaction(self._sessions) as session:
            if session.get(Case, case_id) is None:
                raise CaseworkError("no such case")
            partner = self._partner(session, partner_id)
            if not partner.active:
                raise CaseworkError(f"{partner.name} is no longer a partner")
            referral = Referral(case_id=case_id, partner=partner, status=status, referred_on=on, staff_id=staff_id)
            if note:
                text = f"Referral to {partner.name}: {note}"
                referral.note = CaseNote(case_id=case_id, staff_id=staff_id, text_encrypted=self._vault.encrypt(text))
            session.add(referral)
            audit.record(session, staff_id, audit.REFERRAL_MADE, case_id, detail=f"{partner.name}: {status}")

    def set_status(self, case_id: int, staff_id: int, referral_id: int, status: str) -> None:
        """Move a referral of the case to another status (made, accepted, closed)."""
        if status not in Referral.STATUSES:
            raise CaseworkError("unknown referral status")
        with transaction(self._sessions) as session:
            referral = session.get(Referral, referral_id)
            if referral is None or referral.case_id != case_id:
                raise CaseworkError("no such referral on this case")
            detail = f"{referral.partner.name}: {referral.status} -> {status}"
            referral.status = status
            audit.record(session, staff_id, audit.REFERRAL_STATUS, case_id, detail=detail)

    @staticmethod
    def _free_name(session: Session, name: str) -> str:
        """The name with its spaces tidied, when no partner has it yet."""
        name = " ".join(name.split())
        if not name or len(name) > MAX_PARTNER_CHARS:
            raise CaseworkError(f"a partner's name needs 1 to {MAX_PARTNER_CHARS} characters")
        if session.scalar(select(ReferralPartner.id).where(ReferralPartner.name == name)) is not None:
            raise CaseworkError(f"a partner named {name} exists")
        return name

    @staticmethod
    def _partner(session: Session, partner_id: int) -> ReferralPartner:
        partner = session.get(ReferralPartner, partner_id)
        if partner is None:
            raise CaseworkError("no such partner")
        return partner
