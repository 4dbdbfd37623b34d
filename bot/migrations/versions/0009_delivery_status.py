"""Delivery status of outbound messages as the channels report it, with its error; messages sent as a template.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add delivery_status, delivery_error and as_template to messages; outbound rows start from their status."""
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("delivery_status", sa.String(20)))
        batch.add_column(sa.Column("delivery_error", sa.String(100)))
        batch.add_column(sa.Column("as_template", sa.Boolean, nullable=False, server_default=sa.false()))
    op.execute(
        "UPDATE messages SET delivery_status = status"
        " WHERE direction = 'out' AND status IN ('queued', 'sent', 'failed')"
    )


def downgrade() -> None:
    """Drop the columns added by upgrade."""
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("as_template")
        batch.drop_column("delivery_error")
        batch.drop_column("delivery_status")
