"""Index offers by the time an approver decided them.

An approved offer counts on its approver's day the day it is approved, which may be days
after it was asked for; the per-day authority sums by that time, so it needs its own index
as the time an offer was asked for has one. Also joins the three 0007 heads.

Revision ID: 0008_offer_decided_at
Revises: 0007_attachment_blobs, 0007_provenance, 0007_store_policy
Create Date: 2026-12-02
"""
from alembic import op

revision = "0008_offer_decided_at"
down_revision = ("0007_attachment_blobs", "0007_provenance", "0007_store_policy")
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_offer_decided_at", "offer", ["decided_at"])


def downgrade() -> None:
    op.drop_index("ix_offer_decided_at", table_name="offer")
