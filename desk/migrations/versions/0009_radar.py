"""The batch radar's tables: batch (numbered B-YYYYMMDD-NN, its decision) and batch_member.

Revision ID: 0009_radar
Revises: 0008_offer_decided_at
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op


revision = "0009_radar"
down_revision = "0008_offer_decided_at"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "batch",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("batch_no", sa.String(20), nullable=False, unique=True),
        sa.Column("found_at", TS, nullable=False),
        sa.Column("basis", sa.String(20), nullable=False),
        sa.Column("topic", sa.String(200), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("decided_at", TS, nullable=True),
        sa.Column("decided_by_id", sa.Integer, sa.ForeignKey("staff.id"), nullable=True),
        sa.Column("decision_reason", sa.Text, nullable=True),
    )
    op.create_index("ix_batch_found_at", "batch", ["found_at"])
    op.create_table(
        "batch_member",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("batch_id", sa.Integer, sa.ForeignKey("batch.id"), nullable=False),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("complaint_case.id"), nullable=False),
        sa.Column("added_at", TS, nullable=False),
        sa.UniqueConstraint("case_id", name="uq_batch_member_case"),
    )
    op.create_index("ix_batch_member_batch_id", "batch_member", ["batch_id"])


def downgrade() -> None:
    op.drop_table("batch_member")
    op.drop_table("batch")
