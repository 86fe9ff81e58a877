"""Promises: interim contacts, the customer's preferred contact channel and consent, and the
revisit a poor follow-up score asks for.

Every contact made while a case is open is one ``interim_contact`` row (reached or not, by
which channel, what was said, the promise it answered and whether that promise was kept, the
new promised time). The case gains the customer's e-mail address, preferred channel and
consent to be contacted, and ``revisit_due`` (set when a follow-up score reopens it).

Revision ID: 0009_promises
Revises: 0008_offer_decided_at
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa

revision = "0009_promises"
down_revision = "0008_offer_decided_at"
branch_labels = None
depends_on = None

INSTANT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "interim_contact",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("complaint_case.id"), nullable=False),
        sa.Column("at", INSTANT, nullable=False),
        sa.Column("staff_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=False),
        sa.Column("reached", sa.Boolean(), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("said", sa.Text(), nullable=False),
        sa.Column("answered_promise", INSTANT, nullable=True),
        sa.Column("kept", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("promised_reply_at", INSTANT, nullable=True),
        sa.Column("migrated", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_interim_contact_case_id", "interim_contact", ["case_id"])
    op.create_index("ix_interim_contact_answered_promise", "interim_contact", ["answered_promise"])
    # Plain columns without references: SQLite adds them in place (no table rebuild).
    op.add_column("complaint_case", sa.Column("customer_email", sa.String(200), nullable=True))
    op.add_column("complaint_case", sa.Column("contact_channel", sa.String(20), nullable=True))
    op.add_column("complaint_case", sa.Column("contact_consent", sa.Boolean(), nullable=True))
    op.add_column("complaint_case", sa.Column("revisit_due", INSTANT, nullable=True))
    op.create_index("ix_case_promised_reply_at", "complaint_case",
                    ["status", "promised_reply_at"])


def downgrade() -> None:
    op.drop_index("ix_case_promised_reply_at", table_name="complaint_case")
    with op.batch_alter_table("complaint_case") as batch:
        for column in ("revisit_due", "contact_consent", "contact_channel", "customer_email"):
            batch.drop_column(column)
    op.drop_index("ix_interim_contact_answered_promise", table_name="interim_contact")
    op.drop_index("ix_interim_contact_case_id", table_name="interim_contact")
    op.drop_table("interim_contact")
