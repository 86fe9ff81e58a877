"""An edit behind the program's back cannot be laundered by a later ordinary write: each
audit entry's "before" must be what the row's previous entry left, so ``desk audit verify``
names the row, the field and the two entries even after the program wrote on (SQLite and
PostgreSQL); and no ordinary history (demo data, later writes, lexicon, policy and template
changes, a restore) is reported. Case and day-pack imports are verified in
test_import_replay.py and test_trust_pack_signing.py."""
from __future__ import annotations

import json

from sqlalchemy import select, text

from desk import audit, services
from desk.enums import Step
from tests.conftest import PINS
from tests.helpers import new_case, walk


def behind_the_back(store, sql: str, **params) -> None:
    """A plain SQL edit on the store's own database, past the program."""
    with store.engine.begin() as conn:
        conn.execute(text(sql), params)


def findings(store) -> list[audit.Finding]:
    with store.read() as session:
        return list(audit.verify(session).findings)


def test_a_case_edited_then_written_on_by_the_program_is_caught(store, policy, team):
    case_no = new_case(store, policy, team.clerk)
    behind_the_back(store, "UPDATE complaint_case SET customer_phone = '0900-000-000' "
                           "WHERE case_no = :n", n=case_no)
    walk(store, policy, case_no, team.clerk, Step.PROPOSE)   # ordinary writes on that case
    found = findings(store)
    assert [(f.kind, f.entity, f.entity_key) for f in found] == [
        ("continuity", "case", case_no)]
    broken = found[0]
    assert broken.fields == ("customer_phone",)
    assert int(broken.detail) < broken.entry_id            # the entry before, and the one after
    with store.read() as session:
        left = session.get(audit.AuditEntry, int(broken.detail))
        found_at = session.get(audit.AuditEntry, broken.entry_id)
    assert (left.entity_key, found_at.entity_key) == (case_no, case_no)
    assert audit.comparable(json.loads(left.after))["customer_phone"] != "0900-000-000"
    assert audit.comparable(json.loads(found_at.before))["customer_phone"] == "0900-000-000"
    message = broken.message
    assert case_no in message and "customer_phone" in message
    assert str(broken.entry_id) in message and broken.detail in message


def test_ordinary_history_on_a_demo_store_is_not_reported(store, policy, tmp_path):
    """Demo rows logged in bulk, then written on through the program; the lexicon, the
    policy and the reply templates (twice) changed; a restore: verify and ``desk audit
    verify`` stay clean after each (a bulk entry has no "before"; later ones continue it)."""
    from desk.cli import main
    from desk.demo import fill_demo
    from desk.model import Case
    from desk import reply_templates
    from desk.backup import backup_to, restore
    from desk.store_lexicon import apply_lexicon, ensure_store_lexicon, lexicon_record
    from desk.store_policy import apply_policy, policy_record
    from desk.store_policy import ensure_store_policy
    fill_demo(store, policy, 12, per_day=12)
    ensure_store_policy(store)
    ensure_store_lexicon(store)
    manager = services.sign_in(store, policy, "A001", PINS["A001"])
    with store.write(manager) as session:   # every demo case written on through the program
        for case in session.scalars(select(Case)):
            case.status_note = "checked"
    sqlite = store.engine.dialect.name == "sqlite"

    def clean(when: str) -> None:
        assert findings(store) == [], when
        if sqlite:
            assert main(["--db", store.engine.url.database, "audit", "verify"]) == 0, when

    clean("demo data written on")
    with store.write(manager) as session:
        record = lexicon_record(session)
        apply_lexicon(session, manager, record.text + "\n", "a blank line, for the test")
    clean("lexicon changed")
    with store.write(manager) as session:
        apply_policy(session, manager, policy_record(session).text + "\n", "a blank line")
    clean("policy changed")
    for reason in ("first", "second"):   # the second change continues the first's entry
        with store.write(manager) as session:
            text_now = reply_templates.store_text(session, "en")
            reply_templates.apply_templates(session, policy, manager, "en", text_now + "\n",
                                            reason)
    clean("templates changed twice")
    if sqlite:   # a restore takes the history back to the backup's, which continues
        saved = backup_to(store, tmp_path / "saved.sqlite3").path
        with store.write(manager) as session:
            session.scalars(select(Case)).first().status_note = "after the backup"
        path = store.engine.url.database
        store.close()
        restore(path, saved, staff_no="A001")
        assert main(["--db", path, "audit", "verify"]) == 0
