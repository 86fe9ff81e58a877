"""The case document: the schema describes what export writes and what import takes."""
import json
from pathlib import Path

import jsonschema
import pytest

from desk.casedoc import export_case, import_documents, read_documents
from desk.errors import DomainError

DOCS = Path(__file__).resolve().parent.parent / "docs"
SCHEMA = json.loads((DOCS / "case-format.schema.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("example", sorted((DOCS / "examples").glob("*.json")))
def test_examples_follow_the_schema_and_import(store, policy, team, example):
    docs = read_documents(example)
    jsonschema.validate(docs[0], SCHEMA)
    with store.write(system="test") as session:
        done = import_documents(session, policy, docs)
    with store.read() as session:
        exported = export_case(session, done[0].case_no)
    jsonschema.validate(exported, SCHEMA)
    assert exported["customer"] == {**{"phone": None, "member_no": None, "address": None},
                                    **docs[0]["customer"]}


def test_a_failing_batch_writes_nothing(store, policy, team):
    good = read_documents(DOCS / "examples" / "open-case.json")[0]
    bad = dict(good, severity=7)
    with pytest.raises(DomainError) as err, store.write(system="test") as session:
        import_documents(session, policy, [good, bad])
    assert "2" in str(err.value)
    from desk.queries import day_cases
    from datetime import date
    with store.read() as session:
        assert day_cases(session, date(2026, 11, 22)) == []
