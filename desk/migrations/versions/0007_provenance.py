"""Provenance: a case and the actions on it may be migrated history.

A case imported as migrated history records who imported it and when; every row that names
a person (a step, an offer, a status change, a follow-up call, an attachment) says whether
it is migrated history, so it is shown as such and never counted as that person's decision.
An offer imported as a grant of this store keeps the time its document gave (stated_at)
beside the time it was granted (requested_at, the import).

Revision ID: 0007_provenance
Revises: 0006_offer_requested_at
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa

revision = "0007_provenance"
down_revision = "0006_offer_requested_at"
branch_labels = None
depends_on = None

ACTION_TABLES = ("step_record", "offer", "status_change", "follow_up", "attachment")


def upgrade() -> None:
    for table in ACTION_TABLES:
        op.add_column(table, sa.Column("migrated", sa.Boolean(), nullable=False,
                                       server_default=sa.false()))
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a column with its reference in one statement (no ALTER ... ADD
        # CONSTRAINT); rebuilding the case table for it would rewrite every case.
        op.execute("ALTER TABLE complaint_case ADD COLUMN migrated_by_id INTEGER "
                   "REFERENCES staff (id)")
    else:
        op.add_column("complaint_case", sa.Column("migrated_by_id", sa.Integer(), nullable=True))
        op.create_foreign_key("fk_complaint_case_migrated_by_id_staff", "complaint_case",
                              "staff", ["migrated_by_id"], ["id"])
    op.add_column("complaint_case", sa.Column("migrated_at", sa.DateTime(timezone=True),
                                              nullable=True))
    op.add_column("offer", sa.Column("stated_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("offer") as batch:
        batch.drop_column("stated_at")
    with op.batch_alter_table("complaint_case") as batch:
        batch.drop_column("migrated_at")
        batch.drop_column("migrated_by_id")
    for table in ACTION_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("migrated")
