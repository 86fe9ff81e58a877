"""Keep attachments' bytes in the store (one row per distinct SHA-256).

Photos used to be copied into the folder of the PC that attached them, so another PC of a
shared store could not show or print them. Attachments already recorded keep their name and
digest; their bytes stay where they were until attached again.

Revision ID: 0007_attachment_blobs
Revises: 0006_offer_requested_at
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0007_attachment_blobs"
down_revision = "0006_offer_requested_at"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "attachment_blob",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("attachment_blob")
