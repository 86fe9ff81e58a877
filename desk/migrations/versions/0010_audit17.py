"""Seal the sending secrets: the SMTP password and the text-message gateway's address and
body (which often carry its key) are stored sealed with this PC's key instead of as plain
text, and one entry (action ``seal``) records the row as it now is, its secrets as the
fingerprint of their sealed text (the log now keeps only that). On PostgreSQL the two columns
become text (a sealed value is longer than the plain one).

Revision ID: 0010_audit17
Revises: 0010_list17
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0010_audit17"
down_revision = "0010_list17"
branch_labels = None
depends_on = None

SECRET = ("smtp_password", "sms_url", "sms_body")


def upgrade() -> None:
    from desk.audit import baseline
    from desk.secret_box import SecretUnavailable, is_sealed, seal
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.alter_column("send_settings", "smtp_password", type_=sa.Text(),
                        existing_type=sa.String(length=200), existing_nullable=False)
        op.alter_column("send_settings", "sms_url", type_=sa.Text(),
                        existing_type=sa.String(length=500), existing_nullable=False)
    else:   # the plain text's old place in the file is overwritten, not just let go
        bind.exec_driver_sql("PRAGMA secure_delete = ON")
    table = sa.table("send_settings", sa.column("key"), *[sa.column(name) for name in SECRET])
    rows = bind.execute(sa.select(table)).mappings().all()
    for row in rows:
        try:
            sealed = {name: seal(row[name]) for name in SECRET
                      if row[name] and not is_sealed(row[name])}
        except SecretUnavailable:   # no key can be made here: the store still opens, and
            sealed = {}             # the administrator's next save seals them
        if sealed:
            bind.execute(table.update().where(table.c.key == row["key"]).values(**sealed))
    if rows:
        baseline(bind, action="seal", entities=frozenset({"send_settings"}))


def downgrade() -> None:
    """The sealed values stay sealed: only this PC's key opens them."""
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("send_settings", "sms_url", type_=sa.String(length=500),
                        existing_type=sa.Text(), existing_nullable=False)
        op.alter_column("send_settings", "smtp_password", type_=sa.String(length=200),
                        existing_type=sa.Text(), existing_nullable=False)
