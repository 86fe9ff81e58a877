"""When a staff member's current run of wrong PINs began.

Wrong PINs are counted within a window of the policy (``site.pin_window_minutes``) that a
right PIN no longer resets: the count needs the time of the window's first failure.

Revision ID: 0009_inputs14
Revises: 0008_offer_decided_at
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0009_inputs14"
down_revision = "0008_offer_decided_at"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff") as batch:
        batch.add_column(sa.Column("first_failed_at", sa.DateTime(timezone=True),
                                   nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("staff") as batch:
        batch.drop_column("first_failed_at")
