"""Malls: a group of malls sharing one store. ``mall`` and ``mall_desk`` name each mall
and the desks it has; every case keeps the mall whose desk took it (None in a store that is
one mall's), indexed with the day for the per-mall and group reports.

Revision ID: 0009_chain17
Revises: 0008_offer_decided_at
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa

revision = "0009_chain17"
down_revision = "0008_offer_decided_at"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("mall",
                    sa.Column("code", sa.String(8), primary_key=True),
                    sa.Column("name", sa.String(100), nullable=False))
    op.create_table("mall_desk",
                    sa.Column("desk", sa.String(4), primary_key=True),
                    sa.Column("mall", sa.String(8), sa.ForeignKey("mall.code"), nullable=False))
    with op.batch_alter_table("complaint_case") as batch:
        batch.add_column(sa.Column("mall", sa.String(8), nullable=True))
    op.create_index("ix_case_mall_day", "complaint_case", ["mall", "day"])


def downgrade() -> None:
    op.drop_index("ix_case_mall_day", table_name="complaint_case")
    with op.batch_alter_table("complaint_case") as batch:
        batch.drop_column("mall")
    op.drop_table("mall_desk")
    op.drop_table("mall")
