"""supervisor review: review decisions, day close, paused clocks, root causes, chargebacks,
day packs; indexes for the follow-up queue and finance lists

Revision ID: 0003_review
Revises: 0001
Create Date: 2026-11-22
"""
from alembic import op
import sqlalchemy as sa


revision = "0003_review"
down_revision = "0001"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def _staff(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.Integer(), sa.ForeignKey("staff.id"), nullable=nullable)


def _case() -> sa.Column:
    return sa.Column("case_id", sa.Integer(), sa.ForeignKey("complaint_case.id"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "review",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uid", sa.String(36), nullable=False, unique=True),
        _case(),
        sa.Column("decision", sa.String(20), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("at", TS, nullable=False),
        _staff("reviewer_id"),
        sa.Column("case_version", sa.Integer(), nullable=False),
        sa.Column("pack_id", sa.String(36), nullable=True),
        sa.Column("recorded_at", TS, nullable=False),
        _staff("recorded_by_id"),
    )
    op.create_index("ix_review_case_id", "review", ["case_id"])
    op.create_table(
        "day_close",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("desk", sa.String(4), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("closed_at", TS, nullable=False),
        _staff("closed_by_id"),
        sa.Column("cases", sa.Integer(), nullable=False),
        sa.Column("reopened_at", TS, nullable=True),
        _staff("reopened_by_id", nullable=True),
        sa.Column("reopen_reason", sa.Text(), nullable=True),
    )
    op.create_index("ix_day_close_desk_day", "day_close", ["desk", "day"])
    op.create_table(
        "pause",
        sa.Column("id", sa.Integer(), primary_key=True),
        _case(),
        sa.Column("waiting_on", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("started_at", TS, nullable=False),
        _staff("started_by_id"),
        sa.Column("remaining_s", sa.Integer(), nullable=False),
        sa.Column("ended_at", TS, nullable=True),
        _staff("ended_by_id", nullable=True),
    )
    op.create_index("ix_pause_case_id", "pause", ["case_id"])
    op.create_table(
        "root_cause",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("team", sa.Text(), nullable=False),
        sa.Column("problem", sa.Text(), nullable=False),
        sa.Column("containment", sa.Text(), nullable=False),
        sa.Column("root_cause", sa.Text(), nullable=False),
        sa.Column("permanent_fix", sa.Text(), nullable=False),
        sa.Column("verification", sa.Text(), nullable=False),
        sa.Column("prevention", sa.Text(), nullable=False),
        sa.Column("opened_at", TS, nullable=False),
        _staff("opened_by_id"),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("verified_at", TS, nullable=True),
        _staff("verified_by_id", nullable=True),
    )
    op.create_table(
        "root_cause_case",
        sa.Column("root_cause_id", sa.Integer(), sa.ForeignKey("root_cause.id"),
                  primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("complaint_case.id"),
                  primary_key=True),
    )
    op.create_index("ix_root_cause_case_case_id", "root_cause_case", ["case_id"])
    op.create_table(
        "chargeback",
        sa.Column("id", sa.Integer(), primary_key=True),
        _case(),
        sa.Column("tenant", sa.String(200), nullable=False),
        sa.Column("amount", sa.Numeric(14, 2), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recorded_at", TS, nullable=False),
        _staff("recorded_by_id"),
        sa.Column("settled_at", TS, nullable=True),
        _staff("settled_by_id", nullable=True),
        sa.Column("settlement_note", sa.Text(), nullable=True),
    )
    op.create_index("ix_chargeback_case_id", "chargeback", ["case_id"])
    op.create_index("ix_chargeback_open", "chargeback", ["settled_at", "tenant"])
    op.create_table(
        "pack_export",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("pack_id", sa.String(36), nullable=False),
        sa.Column("desk", sa.String(4), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("exported_at", TS, nullable=False),
        _staff("exported_by_id"),
        sa.Column("cases", sa.Integer(), nullable=False),
        sa.Column("content_sha256", sa.String(64), nullable=False),
        sa.Column("last_import_at", TS, nullable=True),
        sa.UniqueConstraint("pack_id", name="uq_pack_export_pack_id"),
    )
    op.create_index("ix_case_follow_up_due", "complaint_case", ["follow_up_due"])
    op.create_index("ix_offer_answered_at", "offer", ["answered_at"])


def downgrade() -> None:
    op.drop_index("ix_offer_answered_at", table_name="offer")
    op.drop_index("ix_case_follow_up_due", table_name="complaint_case")
    for table in ("pack_export", "chargeback", "root_cause_case", "root_cause", "pause",
                  "day_close", "review"):
        op.drop_table(table)
