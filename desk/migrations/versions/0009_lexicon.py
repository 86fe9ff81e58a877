"""Classification, member tier and the store's lexicon.

Every case gains the procedures' two classifications (content: price, quality, function,
technical, service; degree: constructive, critical, accusatory) and the customer's member
tier; the store keeps its own lexicon for the intake's suggestions, as it keeps its policy
(the table starts empty; the first program to open the store seeds it, audited).

Revision ID: 0009_lexicon
Revises: 0008_offer_decided_at
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0009_lexicon"
down_revision = "0008_offer_decided_at"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("complaint_case") as batch:
        batch.add_column(sa.Column("content_class", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("degree", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("customer_tier", sa.String(length=20), nullable=False,
                                   server_default="none"))
    op.create_table(
        "store_lexicon",
        sa.Column("key", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("set_by", sa.String(length=20), nullable=True),
        sa.Column("system", sa.String(length=60), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )


def downgrade() -> None:
    op.drop_table("store_lexicon")
    with op.batch_alter_table("complaint_case") as batch:
        batch.drop_column("customer_tier")
        batch.drop_column("degree")
        batch.drop_column("content_class")
