"""Case, phone and member numbers compare by character code on PostgreSQL too.

A prefix search ("A-20261122", "0912") is asked as the range ``>= prefix AND < next`` so
the column's index answers it; that range holds exactly the values starting with the prefix
only when text is ordered by character code. SQLite orders it that way already; on
PostgreSQL the three columns get the "C" collation (their indexes are rebuilt with it).

Revision ID: 0005_prefix_ranges
Revises: 0004_status_list
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = "0005_prefix_ranges"
down_revision = "0004_status_list"
branch_labels = None
depends_on = None

COLUMNS = (("case_no", 24, False), ("customer_phone", 30, True),
           ("customer_member_no", 30, True))


def _collate(collation: str | None) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, length, nullable in COLUMNS:
        op.alter_column("complaint_case", name, existing_type=sa.String(length),
                        existing_nullable=nullable,
                        type_=sa.String(length, collation=collation))


def upgrade() -> None:
    _collate("C")


def downgrade() -> None:
    _collate("default")
