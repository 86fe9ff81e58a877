"""How often the intake's suggestion matches the true classification: on the demo data
(desk.demo_text, the texts the demo stores are made of) and on bench/classify_samples.toml
(texts written apart from the lexicon). Prints one table; docs/benchmarks.md keeps it.

    python bench/bench_classify.py [--lexicon FILE] [--misses]
"""
from __future__ import annotations

import argparse
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SAMPLES = ROOT / "bench" / "classify_samples.toml"


def demo_cases() -> list[dict]:
    """Every demo complaint in its three languages, with the true category and the demo's
    content class and degree."""
    from desk.demo_text import CLASSES, COMPLAINTS, TENANTS
    out = []
    for category, _kind, texts, _motive, _severity in COMPLAINTS:
        content, degree = CLASSES[category]
        for locale, (complaint, _request) in texts.items():
            out.append({"text": complaint.format(shop=TENANTS[0]), "category": category,
                        "content": content, "degree": degree, "locale": locale})
    return out


def held_out() -> list[dict]:
    return tomllib.loads(SAMPLES.read_text(encoding="utf-8"))["sample"]


def score(lexicon, cases: list[dict], show_misses: bool) -> dict[str, float]:
    from desk.classify import suggest
    hits = {"category": 0, "content": 0, "degree": 0}
    for case in cases:
        got = suggest(lexicon, case["text"])
        answers = {"category": got.category, "content": got.content_class,
                   "degree": got.degree}
        for key in hits:
            if answers[key] == case[key]:
                hits[key] += 1
            elif show_misses:
                print(f"  miss {key}: {answers[key]} (true {case[key]}): {case['text']}")
    return {key: hits[key] / len(cases) for key in hits}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lexicon", type=Path, help="a lexicon file (default: the bundled)")
    parser.add_argument("--misses", action="store_true", help="print every wrong suggestion")
    args = parser.parse_args(argv)
    from desk.lexicon import parse_lexicon, read_lexicon_text
    lexicon = parse_lexicon(read_lexicon_text(args.lexicon))
    started = time.perf_counter()
    from desk import classify
    classify.prepare()
    ready = time.perf_counter() - started
    rows = [("demo data", demo_cases()), ("written apart", held_out())]
    print(f"segmenter ready in {ready * 1000:.0f} ms (jieba import and dictionary)")
    print(f"{'texts':<16}{'n':>5}{'category':>10}{'content':>10}{'degree':>10}")
    for name, cases in rows:
        result = score(lexicon, cases, args.misses)
        print(f"{name:<16}{len(cases):>5}" + "".join(f"{result[k]:>10.0%}" for k in
                                                       ("category", "content", "degree")))
    text = held_out()[0]["text"]
    classify.suggest(lexicon, text)
    started = time.perf_counter()
    for _ in range(200):
        classify.suggest(lexicon, text)
    each = (time.perf_counter() - started) / 200
    print(f"one suggestion (a {len(text)}-character text): {each * 1000:.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
