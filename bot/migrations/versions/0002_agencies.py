"""Licensed recruiting agencies.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the agencies table with its licence-number, name-key and updated-at indexes."""
    op.create_table(
        "agencies",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("license_number", sa.String(20), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("name_bn", sa.String(200)),
        sa.Column("address", sa.String(300), nullable=False),
        sa.Column("district", sa.String(50), nullable=False),
        sa.Column("phone", sa.String(40)),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("license_expiry", sa.Date),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("name_key", sa.String(200), nullable=False),
        sa.Column("missing_from_last_import", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status IN ('valid', 'expired', 'suspended', 'cancelled')", name="ck_agencies_status"),
    )
    op.create_index("ix_agencies_license_number", "agencies", ["license_number"], unique=True)
    op.create_index("ix_agencies_name_key", "agencies", ["name_key"])
    op.create_index("ix_agencies_updated_at", "agencies", ["updated_at"])


def downgrade() -> None:
    """Drop the agencies table."""
    op.drop_table("agencies")
