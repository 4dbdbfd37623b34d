"""One row per import of the agency licence list, so answers can give the list's date and /ready its age.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create registry_imports, with one row for a list imported before (dated by its newest agency)."""
    imports = op.create_table(
        "registry_imports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("sample", sa.Boolean, nullable=False),
    )
    agencies = sa.table("agencies", sa.column("updated_at", sa.DateTime(timezone=True)), sa.column("source", sa.String))
    rows, newest, sample_rows = (
        op.get_bind()
        .execute(
            sa.select(
                sa.func.count(),
                sa.func.max(agencies.c.updated_at),
                sa.func.sum(sa.case((agencies.c.source.like("SAMPLE DATA%"), 1), else_=0)),
            )
        )
        .one()
    )
    if rows:
        op.bulk_insert(imports, [{"imported_at": newest, "rows": rows, "sample": sample_rows == rows}])


def downgrade() -> None:
    """Drop what upgrade created."""
    op.drop_table("registry_imports")
