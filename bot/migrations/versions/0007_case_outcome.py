"""cases.outcome: how a case ended (for now "false_alarm", set by a counsellor or by the person).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add cases.outcome."""
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("outcome", sa.String(20)))


def downgrade() -> None:
    """Drop cases.outcome."""
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("outcome")
