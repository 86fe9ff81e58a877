"""The case document: the schema describes what export writes and what import takes."""
import json
from pathlib import Path

import jsonschema
import pytest

from desk import services
from desk.casedoc import export_case, read_documents
from desk.casedoc_import import import_file
from desk.errors import DomainError
from tests.conftest import PINS

DOCS = Path(__file__).resolve().parent.parent / "docs"
SCHEMA = json.loads((DOCS / "case-format.schema.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("example", sorted((DOCS / "examples").glob("*.json")))
def test_examples_follow_the_schema_and_import(store, policy, team, example):
    docs = read_documents(example)
    jsonschema.validate(docs[0], SCHEMA)
    recorder = docs[0]["recorder"]   # the example is imported by the clerk who took it
    importer = services.sign_in(store, policy, recorder, PINS[recorder])
    done = import_file(store, policy, importer, docs)
    with store.read() as session:
        exported = export_case(session, done[0].case_no)
    jsonschema.validate(exported, SCHEMA)
    assert exported["customer"] == {**{"phone": None, "member_no": None, "address": None},
                                    **docs[0]["customer"]}


def test_a_failing_batch_writes_nothing(store, policy, team):
    good = read_documents(DOCS / "examples" / "open-case.json")[0]
    bad = dict(good, severity=7)
    with pytest.raises(DomainError) as err:
        import_file(store, policy, team.clerk2, [good, bad])
    assert "2" in str(err.value)
    from desk.queries import day_cases
    from datetime import date
    with store.read() as session:
        assert day_cases(session, date(2026, 11, 22)) == []
