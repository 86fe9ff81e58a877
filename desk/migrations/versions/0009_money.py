"""Money after the counter: a cost's life (finance review, payment, signature, overcharge
verification) as events, signed settlements, the staff member found at fault, and the 8D
record's eighth step (recognition).

New tables and one column with a default: no existing row changes. An offer
accepted before this revision has no events and so waits in the finance queue like a new one.

Revision ID: 0009_money
Revises: 0008_offer_decided_at
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0009_money"
down_revision = "0008_offer_decided_at"
branch_labels = None
depends_on = None


def _instant(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _migrated() -> sa.Column:
    return sa.Column("migrated", sa.Boolean(), nullable=False, server_default=sa.false())


def upgrade() -> None:
    op.create_table(
        "cost_event",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("complaint_case.id"), nullable=False),
        sa.Column("offer_id", sa.Integer(), sa.ForeignKey("offer.id"), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        _instant("at"),
        sa.Column("staff_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("how", sa.String(20)),
        sa.Column("refs", sa.JSON(), nullable=False),
        sa.Column("evidence", sa.String(100)),
        sa.Column("evidence_sha256", sa.String(64)),
        sa.Column("recipient", sa.String(100)),
        _migrated(),
    )
    op.create_index("ix_cost_event_case_id", "cost_event", ["case_id"])
    op.create_index("ix_cost_event_offer", "cost_event", ["offer_id", "id"])
    op.create_table(
        "settlement",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("complaint_case.id"), nullable=False),
        _instant("at"),
        sa.Column("staff_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=False),
        sa.Column("signer", sa.String(100), nullable=False),
        sa.Column("method", sa.String(10), nullable=False),
        sa.Column("signature_sha256", sa.String(64), nullable=False),
        sa.Column("locale", sa.String(8), nullable=False),
        sa.Column("terms", sa.Text(), nullable=False),
        _migrated(),
    )
    op.create_index("ix_settlement_case_id", "settlement", ["case_id"])
    op.create_table(
        "staff_finding",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("complaint_case.id"), nullable=False),
        sa.Column("staff_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=False),
        sa.Column("finding", sa.Text(), nullable=False),
        _instant("at"),
        sa.Column("by_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=False),
        _migrated(),
    )
    op.create_index("ix_staff_finding_case_id", "staff_finding", ["case_id"])
    # The 8D record's eighth step (recognition).
    with op.batch_alter_table("root_cause") as batch:
        batch.add_column(sa.Column("recognition", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("root_cause") as batch:
        batch.drop_column("recognition")
    op.drop_table("staff_finding")
    op.drop_table("settlement")
    op.drop_table("cost_event")
