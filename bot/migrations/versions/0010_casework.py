"""Casework: case types and ILO indicators (case_labels), referral partners (seeded) and referrals, follow-ups.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04
"""

from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# The partners a hotline refers people to; admins rename, add or deactivate them in the console.
PARTNERS = ("BMET", "Labour wing of the mission", "Police", "Shelter", "IOM or an NGO", "Legal aid")


def upgrade() -> None:
    """Add cases.classified_at and cases.follow_up_at; create case_labels, referral_partners (seeded), referrals."""
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("classified_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("follow_up_at", sa.DateTime(timezone=True)))
        batch.create_index("ix_cases_follow_up_at", ["follow_up_at"])
    op.create_table(
        "case_labels",
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("kind", sa.String(10), primary_key=True),
        sa.Column("code", sa.String(40), primary_key=True),
        sa.CheckConstraint("kind IN ('type', 'indicator')", name="ck_case_labels_kind"),
    )
    partners = op.create_table(
        "referral_partners",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(80), nullable=False, unique=True),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    now = datetime.now(timezone.utc)
    op.bulk_insert(partners, [{"name": name, "active": True, "created_at": now} for name in PARTNERS])
    op.create_table(
        "referrals",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
        sa.Column("partner_id", sa.Integer, sa.ForeignKey("referral_partners.id"), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("referred_on", sa.Date, nullable=False),
        sa.Column("note_id", sa.Integer, sa.ForeignKey("case_notes.id", ondelete="SET NULL")),
        sa.Column("staff_id", sa.Integer, sa.ForeignKey("staff_users.id", ondelete="SET NULL")),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status IN ('made', 'accepted', 'closed')", name="ck_referrals_status"),
    )
    op.create_index("ix_referrals_case_id", "referrals", ["case_id"])


def downgrade() -> None:
    """Drop what upgrade added."""
    op.drop_index("ix_referrals_case_id", "referrals")
    op.drop_table("referrals")
    op.drop_table("referral_partners")
    op.drop_table("case_labels")
    with op.batch_alter_table("cases") as batch:
        batch.drop_index("ix_cases_follow_up_at")
        batch.drop_column("follow_up_at")
        batch.drop_column("classified_at")
