"""The audit log: every change to a case, a staff record, a setting or the store's policy, written in
the same transaction as the change and chained by SHA-256, so that an edit made behind the
program's back shows up in ``desk audit verify``.

- ``install(factory)`` hooks a sessionmaker (``desk.store`` does it): before a flush the rows
  about to change are read back from the database (the true "before"), after the flush the
  rows written are read back (the true "after"), and one entry per row is appended on the
  same connection, inside the same transaction. The unit of work names who acts
  (``Store.write(actor)`` or ``Store.write(system=...)``, see ``desk.uow``); an entry with
  neither is refused.
- An entry's hash is sha256(previous hash + canonical JSON of the entry). Appends are
  serialised: SQLite write transactions hold the database lock (``BEGIN IMMEDIATE``);
  PostgreSQL takes a transaction-scoped advisory lock first.
- Customer data (names, phones, free text) is stored beside a random salt and enters the
  hash as sha256(salt + value). Purging after the retention period drops value and salt and
  keeps the digest: the chain still verifies, the personal data is gone.
- ``verify`` walks the chain, then compares every audited row with its last logged state,
  which also catches rows edited, added or deleted without an entry (and a cut-off tail).
"""
from desk.audit.baseline import baseline
from desk.audit.canonical import canonical, comparable, entry_hash, plain, row_state
from desk.audit.chain import log_event, purge_entries
from desk.audit.history import Change, HistoryEntry, audit_history
from desk.audit.hooks import install
from desk.audit.log import (ACTOR, AUDITED, CASE_PERSONAL, ENTITY_LABELS, GENESIS, LOG, REDACT,
                            Audited, AuditEntry, entity_label, register, spec_for)
from desk.audit import policy_record  # noqa: F401  (audits the store's policy table)
from desk.audit import lexicon_record  # noqa: F401  (audits the store's lexicon table)
from desk.audit import replies_record  # noqa: F401  (audits replies, the outbox, sending)
from desk.audit.verify import MAX_FINDINGS, AuditReport, Finding, check_anchor, tail_of, verify

__all__ = [
    "ACTOR", "AUDITED", "CASE_PERSONAL", "ENTITY_LABELS", "GENESIS", "LOG", "MAX_FINDINGS",
    "REDACT", "AuditEntry", "AuditReport", "Audited", "Change", "Finding", "HistoryEntry",
    "audit_history", "baseline", "canonical", "check_anchor", "comparable", "entity_label",
    "entry_hash", "install", "log_event", "plain", "purge_entries", "register", "row_state",
    "spec_for", "tail_of", "verify",
]
