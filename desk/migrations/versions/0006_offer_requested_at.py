"""Index offers by the time they were asked for.

Every offer checks what its giver has already granted today (the per-day authority), and
the status bar shows it every minute; without an index that sum read every offer in the
store: 40-70 ms on a million cases, on every offer and on the counter PC's UI thread.

Revision ID: 0006_offer_requested_at
Revises: 0005_prefix_ranges
Create Date: 2026-11-22
"""
from alembic import op

revision = "0006_offer_requested_at"
down_revision = "0005_prefix_ranges"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_offer_requested_at", "offer", ["requested_at"])


def downgrade() -> None:
    op.drop_index("ix_offer_requested_at", table_name="offer")
