"""Pages of a long SMS reply waiting for MORE.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add contacts.pending_pages."""
    with op.batch_alter_table("contacts") as batch:
        batch.add_column(sa.Column("pending_pages", sa.Text))


def downgrade() -> None:
    """Drop contacts.pending_pages."""
    with op.batch_alter_table("contacts") as batch:
        batch.drop_column("pending_pages")
