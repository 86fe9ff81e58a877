"""Written replies: drafts and their approvals, the outbox of messages to send, the store's
sending settings and its own reply templates.

Revision ID: 0009_replies
Revises: 0008_offer_decided_at
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

TS = sa.DateTime(timezone=True)

revision = "0009_replies"
down_revision = "0008_offer_decided_at"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reply",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("complaint_case.id"), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("locale", sa.String(8), nullable=False),
        sa.Column("template", sa.String(40), nullable=True),
        sa.Column("recipient", sa.String(300), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("drafted_by_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=False),
        sa.Column("drafted_at", TS, nullable=False),
        sa.Column("approved_by_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=True),
        sa.Column("approved_at", TS, nullable=True),
        sa.Column("reviewed_by_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=True),
        sa.Column("reviewed_at", TS, nullable=True),
        sa.Column("rejected_by_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=True),
        sa.Column("rejected_at", TS, nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.Column("body_sha256", sa.String(64), nullable=True),
        sa.Column("printed_at", TS, nullable=True),
        sa.Column("prints", sa.Integer(), nullable=False),
        sa.Column("migrated", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.UniqueConstraint("case_id", "seq", name="uq_reply_case_seq"),
    )
    op.create_index("ix_reply_case_id", "reply", ["case_id"])
    op.create_index("ix_reply_state", "reply", ["state"])
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("complaint_case.id"), nullable=False),
        sa.Column("reply_id", sa.Integer(), sa.ForeignKey("reply.id"), nullable=False),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("recipient", sa.String(300), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("next_attempt_at", TS, nullable=True),
        sa.Column("queued_at", TS, nullable=False),
        sa.Column("queued_by_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=False),
        sa.Column("claimed_at", TS, nullable=True),
        sa.Column("sent_at", TS, nullable=True),
    )
    op.create_index("ix_outbox_case_id", "outbox", ["case_id"])
    op.create_index("ix_outbox_reply_id", "outbox", ["reply_id"])
    op.create_index("ix_outbox_state_next", "outbox", ["state", "next_attempt_at"])
    op.create_table(
        "send_settings",
        sa.Column("key", sa.String(20), primary_key=True),
        sa.Column("smtp_host", sa.String(200), nullable=False),
        sa.Column("smtp_port", sa.Integer(), nullable=False),
        sa.Column("smtp_security", sa.String(10), nullable=False),
        sa.Column("smtp_user", sa.String(200), nullable=False),
        sa.Column("smtp_password", sa.String(200), nullable=False),
        sa.Column("sender", sa.String(200), nullable=False),
        sa.Column("sms_route", sa.String(10), nullable=False),
        sa.Column("sms_url", sa.String(500), nullable=False),
        sa.Column("sms_content_type", sa.String(60), nullable=False),
        sa.Column("sms_body", sa.Text(), nullable=False),
        sa.Column("sms_email_domain", sa.String(200), nullable=False),
        sa.Column("updated_at", TS, nullable=True),
    )
    op.create_table(
        "reply_templates",
        sa.Column("locale", sa.String(8), primary_key=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("set_at", TS, nullable=False),
        sa.Column("set_by", sa.String(20), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("reply_templates")
    op.drop_table("send_settings")
    op.drop_index("ix_outbox_state_next", table_name="outbox")
    op.drop_index("ix_outbox_reply_id", table_name="outbox")
    op.drop_index("ix_outbox_case_id", table_name="outbox")
    op.drop_table("outbox")
    op.drop_index("ix_reply_state", table_name="reply")
    op.drop_index("ix_reply_case_id", table_name="reply")
    op.drop_table("reply")
