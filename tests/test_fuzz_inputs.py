"""A small run of bench/fuzz_inputs.py in the suite: fuzzed case documents and day packs
against a real store end imported or cleanly refused, never in a traceback, and a refused
input changes no row (the full run: ``python bench/fuzz_inputs.py``, docs/reliability.md)."""
from __future__ import annotations

import logging

from bench.fuzz_inputs import fuzz_documents, fuzz_packs, make_store


def test_fuzzed_documents_and_packs_end_cleanly(tmp_path):
    logging.disable(logging.CRITICAL)   # refused PINs are logged; the counts are the point
    store, policy = make_store(tmp_path)
    try:
        docs = fuzz_documents(store, policy, tmp_path, 200)
        packs = fuzz_packs(store, policy, tmp_path, 50)
    finally:
        store.close()
        logging.disable(logging.NOTSET)
    print(docs.summary("case documents"), packs.summary("day packs"), sep="\n")
    assert docs.tracebacks == [] and packs.tracebacks == []
    assert docs.partial == 0 and packs.partial == 0
    assert docs.inputs == 200 and packs.inputs == 50
    assert docs.imported and docs.refused and packs.refused   # both outcomes reached
