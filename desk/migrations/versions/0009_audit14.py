"""Audit the supervisor's decisions kept outside a case: closed days, exported day packs,
root-cause records (with their case links) and stored photos get one baseline entry each,
so ``desk audit verify`` compares them from now on; on PostgreSQL the audit log refuses to
be rewritten; and the tables of day-pack signing (the store's key, the keys it trusts).

Revision ID: 0009_audit14
Revises: 0008_offer_decided_at
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0009_audit14"
down_revision = "0008_offer_decided_at"
branch_labels = None
depends_on = None

NEWLY_AUDITED = frozenset({"day_close", "pack_export", "root_cause", "root_cause_case",
                           "attachment_blob"})


def upgrade() -> None:
    op.create_table(
        "pack_signing_key",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.Column("private_key", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"))
    op.create_table(
        "pack_trusted_key",
        sa.Column("fingerprint", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("added_by_id", sa.Integer(), sa.ForeignKey("staff.id"), nullable=False),
        sa.PrimaryKeyConstraint("fingerprint"))
    from desk.audit import baseline
    from desk.audit.append_only import install_guard
    bind = op.get_bind()
    # A stored photo is named by its SHA-256 (64 characters). SQLite does not enforce a
    # text's length, so only PostgreSQL's column is widened (no copy of a large SQLite log).
    if bind.dialect.name == "postgresql":
        op.alter_column("audit_log", "entity_key", type_=sa.String(length=80),
                        existing_type=sa.String(length=60), existing_nullable=False)
    baseline(bind, only_unlogged=True, entities=NEWLY_AUDITED)
    install_guard(bind)


def downgrade() -> None:
    from desk.audit.append_only import remove_guard
    remove_guard(op.get_bind())
    op.drop_table("pack_trusted_key")
    op.drop_table("pack_signing_key")
