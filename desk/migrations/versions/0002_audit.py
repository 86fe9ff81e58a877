"""audit log

Revision ID: 0002_audit
Revises: 0001
Create Date: 2026-11-22
"""
from alembic import op
import sqlalchemy as sa


revision = '0002_audit'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('staff_no', sa.String(length=20), nullable=True),
    sa.Column('entity', sa.String(length=30), nullable=False),
    sa.Column('entity_key', sa.String(length=60), nullable=False),
    sa.Column('case_no', sa.String(length=24), nullable=True),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('before', sa.Text(), nullable=True),
    sa.Column('after', sa.Text(), nullable=True),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index('ix_audit_entity_key', ['entity', 'entity_key'], unique=False)
        batch_op.create_index('ix_audit_case_no', ['case_no'], unique=False)
    # A store that already holds cases gets one "baseline" entry per row, so the row check in
    # `desk audit verify` has a starting point.
    from desk.audit import baseline
    baseline(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_case_no')
        batch_op.drop_index('ix_audit_entity_key')
    op.drop_table('audit_log')
