"""Retries and delivery of messages, who wrote them, numbered menus, confirmations and rate limits per contact.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the delivery columns of messages and the menu, confirmation and rate-limit columns of contacts."""
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("sender", sa.String(10), nullable=False, server_default="person"))
        batch.add_column(sa.Column("attempts", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("next_attempt_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("buttons", sa.Text))
        batch.add_column(sa.Column("has_media", sa.Boolean, nullable=False, server_default=sa.false()))
        batch.create_index("ix_messages_status_next_attempt_at", ["status", "next_attempt_at"])
    with op.batch_alter_table("contacts") as batch:
        batch.add_column(sa.Column("menu_payloads", sa.Text))
        batch.add_column(sa.Column("awaiting", sa.String(20)))
        batch.add_column(sa.Column("rate_noticed_at", sa.DateTime(timezone=True)))


def downgrade() -> None:
    """Drop the columns added by upgrade."""
    with op.batch_alter_table("contacts") as batch:
        batch.drop_column("rate_noticed_at")
        batch.drop_column("awaiting")
        batch.drop_column("menu_payloads")
    with op.batch_alter_table("messages") as batch:
        batch.drop_index("ix_messages_status_next_attempt_at")
        batch.drop_column("has_media")
        batch.drop_column("buttons")
        batch.drop_column("next_attempt_at")
        batch.drop_column("attempts")
        batch.drop_column("sender")
