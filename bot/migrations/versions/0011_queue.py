"""An index on the audit log by case, action and time: the queue's unread marker reads each case's latest view.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

INDEX = "ix_audit_log_case_id_action_created_at"


def upgrade() -> None:
    """Create the index."""
    op.create_index(INDEX, "audit_log", ["case_id", "action", "created_at"])


def downgrade() -> None:
    """Drop the index."""
    op.drop_index(INDEX, table_name="audit_log")
