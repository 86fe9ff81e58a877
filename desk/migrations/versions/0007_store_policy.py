"""The store keeps the policy that governs it.

Until now every program run read a policy file of its own choosing (``--policy``), so a
clerk could bring a file giving clerks the top role's rights. The store now holds its policy
text, its SHA-256 and who set it, when and why; the table starts empty and the first program
to open the store fills it (an audited unit of work, which a migration is not).

Revision ID: 0007_store_policy
Revises: 0006_offer_requested_at
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0007_store_policy"
down_revision = "0006_offer_requested_at"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "store_policy",
        sa.Column("key", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("set_by", sa.String(length=20), nullable=True),
        sa.Column("system", sa.String(length=60), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )


def downgrade() -> None:
    op.drop_table("store_policy")
