"""The free-text search index (desk.search_index): every case's search text in one script,
indexed by character pairs, so a search that matches nothing or little answers from the
index instead of reading every case.

SQLite: ``case_search`` (the text) and ``case_grams``, an FTS5 table over its pairs and
single characters that stores no copy of them. PostgreSQL: ``case_search`` with ``grams``,
the array of the same keys, under a GIN index. Existing cases are indexed here, with
progress on standard error (about a minute for a million cases).

Revision ID: 0007_search_index
Revises: 0006_offer_requested_at
Create Date: 2026-12-02
"""
import sys
import time

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = "0007_search_index"
down_revision = "0006_offer_requested_at"
branch_labels = None
depends_on = None


def upgrade() -> None:
    columns = [sa.Column("case_id", sa.Integer(), primary_key=True, autoincrement=False),
               sa.Column("body", sa.Text(), nullable=False)]
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        op.create_table("case_search", *columns)
        # Tokens are the pairs written out by desk.search_text.fts_columns; "ascii" splits
        # only at ASCII punctuation and spaces, which that function has moved out of the way.
        # The index keeps no copy of them. Its "content" is a view of empty columns, so that
        # reading the table row by row (a dump, a before-and-after comparison) works, which
        # a table without content refuses; searches read the index alone.
        op.execute("CREATE VIEW case_grams_content AS "
                   "SELECT case_id, '' AS grams, '' AS chars FROM case_search")
        op.execute("CREATE VIRTUAL TABLE case_grams USING fts5(grams, chars, "
                   "content='case_grams_content', content_rowid='case_id', columnsize=0, "
                   "tokenize='ascii')")
    else:
        op.create_table("case_search", *columns,
                        sa.Column("grams", postgresql.ARRAY(sa.Text()), nullable=False))
        op.create_index("ix_case_search_grams", "case_search", ["grams"],
                        postgresql_using="gin")
    from desk import search_index
    search_index.rebuild(conn, _Progress())


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE case_grams")
        op.execute("DROP VIEW case_grams_content")
    op.drop_table("case_search")


class _Progress:
    """A line on standard error redrawn at most twice a second: the `desk` command shows it
    while an older store is indexed; the app shows its store-opening note meanwhile."""

    def __init__(self) -> None:
        self.shown = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if total < 20_000 or (now - self.shown < 0.5 and done < total):
            return
        self.shown = now
        width = 30
        filled = width * done // max(total, 1)
        from desk.i18n import _
        sys.stderr.write("\r" + _("search index") + f" [{'#' * filled}{'.' * (width - filled)}] "
                         f"{done:,}/{total:,}" + ("\n" if done >= total else ""))
        sys.stderr.flush()
