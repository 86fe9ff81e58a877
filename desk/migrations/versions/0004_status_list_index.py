"""Join the audit and review branches; index the case list by status in list order.

Filtering a million-case list by one status ("closed" is nearly every case) sorted by
number used the status index and then sorted almost the whole table; with the list order in
the index the first page comes straight off it.

Revision ID: 0004_status_list
Revises: 0002_audit, 0003_review
Create Date: 2026-11-22
"""
from alembic import op

revision = "0004_status_list"
down_revision = ("0002_audit", "0003_review")
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_case_status_list", "complaint_case", ["status", "day", "desk", "seq"])


def downgrade() -> None:
    op.drop_index("ix_case_status_list", table_name="complaint_case")
