"""The store's policy and lexicon rows edited in the file itself are not believed: both read
back, through desk.audit's one helper, exactly as their last audit entry recorded them (the
text, the version as a number, the instant as a datetime); a row the log never saw is refused."""
from __future__ import annotations

import sqlite3

import pytest

from desk.errors import PolicyError
from desk.store import Store
from desk.store_lexicon import ensure_store_lexicon, lexicon_record
from desk.store_policy import ensure_store_policy, policy_record


def _edit(path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def _seeded(tmp_path):
    """A new store file with its policy and lexicon as the program writes them."""
    path = tmp_path / "desk.sqlite3"
    store = Store("sqlite:///" + path.as_posix())
    ensure_store_policy(store)
    ensure_store_lexicon(store)
    store.close()
    return path


def _records(path):
    store = Store("sqlite:///" + path.as_posix())
    try:
        with store.read() as session:
            return policy_record(session), lexicon_record(session)
    finally:
        store.close()


def test_edited_rows_read_back_as_logged(tmp_path):
    path = _seeded(tmp_path)
    policy_before, lexicon_before = _records(path)
    _edit(path, "UPDATE store_policy SET text = 'x', set_by = 'Z999', reason = 'edited'",
          "UPDATE store_lexicon SET text = 'x', version = 41, set_at = '2030-01-01 00:00:00'")
    policy_after, lexicon_after = _records(path)
    assert policy_after == policy_before and lexicon_after == lexicon_before
    assert isinstance(lexicon_after.version, int) and lexicon_after.version == 1


def test_a_row_the_log_never_saw_is_refused(tmp_path):
    path = _seeded(tmp_path)
    _edit(path, "DELETE FROM audit_log WHERE entity = 'store_lexicon'",
          "UPDATE store_lexicon SET text = 'x'")
    store = Store("sqlite:///" + path.as_posix())
    try:
        with store.read() as session, pytest.raises(PolicyError) as refused:
            lexicon_record(session)
        assert refused.value.msgid.startswith("the store's lexicon was written outside")
    finally:
        store.close()
