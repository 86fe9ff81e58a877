"""Audit the supervisor's decisions kept outside a case: closed days, exported day packs and
root-cause records (with their case links) and stored photos get one baseline entry each, so ``desk audit
verify`` compares them from now on; on PostgreSQL the audit log refuses to be rewritten.

Revision ID: 0009_audit14
Revises: 0008_offer_decided_at
Create Date: 2026-12-02
"""
from alembic import op

revision = "0009_audit14"
down_revision = "0008_offer_decided_at"
branch_labels = None
depends_on = None

NEWLY_AUDITED = frozenset({"day_close", "pack_export", "root_cause", "root_cause_case",
                           "attachment_blob"})


def upgrade() -> None:
    from desk.audit import baseline
    from desk.audit.append_only import install_guard
    bind = op.get_bind()
    baseline(bind, only_unlogged=True, entities=NEWLY_AUDITED)
    install_guard(bind)


def downgrade() -> None:
    from desk.audit.append_only import remove_guard
    remove_guard(op.get_bind())
