"""Reads and validates a lexicon (resources/lexicon.toml, or the text a store keeps) into a
frozen ``Lexicon``: key words per category and content class, weighted negative words,
constructive words, escalation-risk words and the score thresholds.

Every problem names its key (``categories.tenant.words[3]``), so a malformed file is refused
before anything is written. Words are kept as written; ``desk.classify`` brings them to one
script when it matches them.
"""
from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path

from desk.enums import ContentClass
from desk.errors import N_, ValidationError
from desk.paths import resources_dir

MAX_WORD = 40          # characters in one word or phrase
MAX_WORDS = 5000       # words in the whole lexicon
MAX_WEIGHT = 10
TOP_KEYS = ("categories", "content", "negative", "constructive", "risk", "thresholds")
THRESHOLDS = ("critical", "accusatory", "severity_2", "severity_3")


@dataclass(frozen=True)
class Lexicon:
    """One lexicon, validated. ``categories`` and ``content`` map a key to its words;
    ``negative`` a word to its weight."""

    categories: dict[str, tuple[str, ...]]
    content: dict[str, tuple[str, ...]]
    negative: dict[str, int]
    constructive: tuple[str, ...]
    risk: tuple[str, ...]
    critical: int
    accusatory: int
    severity_2: int
    severity_3: int
    sha256: str = ""

    def all_words(self) -> set[str]:
        words = set(self.negative) | set(self.constructive) | set(self.risk)
        for group in (*self.categories.values(), *self.content.values()):
            words.update(group)
        return words


def sha256_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def bundled_lexicon_path() -> Path:
    return resources_dir() / "lexicon.toml"


def read_lexicon_text(path: Path | None = None) -> str:
    """The text of a lexicon file (the bundled one by default); file problems name it."""
    path = Path(path) if path else bundled_lexicon_path()
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValidationError(N_("lexicon file {path} not found"), field="lexicon",
                              path=str(path)) from None
    except UnicodeDecodeError:
        raise ValidationError(N_("lexicon file {path} is not UTF-8 text"), field="lexicon",
                              path=str(path)) from None
    except OSError as exc:
        raise ValidationError(N_("cannot read lexicon file {path}: {detail}"), field="lexicon",
                              path=str(path), detail=exc.strerror or str(exc)) from None


def parse_lexicon(text: str, categories: object = None) -> Lexicon:
    """A lexicon from its TOML text. ``categories`` (the policy's category keys), when
    given, are the only category keys the lexicon may use."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError(N_("the lexicon is not valid TOML: {detail}"), field="lexicon",
                              detail=str(exc)[:200]) from None
    for key in raw:
        if key not in TOP_KEYS:
            _fail(key, N_("unknown; the keys are {allowed}"),
                  allowed=", ".join(TOP_KEYS))
    cats = _groups(raw, "categories")
    if categories is not None:
        for key in cats:
            if key not in categories:
                _fail(f"categories.{key}", N_("not a category of the store's policy"))
    content = _groups(raw, "content")
    for key in content:
        if ContentClass.parse(key) is None:
            _fail(f"content.{key}", N_("not a content class ({allowed})"),
                  allowed=", ".join(c.value for c in ContentClass))
    negative = _table(raw, "negative")
    for word, weight in negative.items():
        _word(word, f"negative.{word}")
        if isinstance(weight, bool) or not isinstance(weight, int) \
                or not 1 <= weight <= MAX_WEIGHT:
            _fail(f"negative.{word}", N_("the weight must be a whole number from 1 to {limit}"),
                  limit=MAX_WEIGHT)
    limits = _table(raw, "thresholds")
    for key in THRESHOLDS:
        value = limits.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 1000:
            _fail(f"thresholds.{key}", N_("must be a whole number from 0 to {limit}"), limit=1000)
    lexicon = Lexicon(categories=cats, content=content, negative=dict(negative),
                      constructive=_words(raw.get("constructive"), "constructive"),
                      risk=_words(raw.get("risk"), "risk"), critical=limits["critical"],
                      accusatory=limits["accusatory"], severity_2=limits["severity_2"],
                      severity_3=limits["severity_3"], sha256=sha256_of(text))
    if not lexicon.risk:
        _fail("risk.words", N_("at least one escalation-risk word is needed"))
    if len(lexicon.all_words()) > MAX_WORDS:
        _fail("lexicon", N_("more than {limit} words"), limit=MAX_WORDS)
    return lexicon


def _fail(key: str, message: str, **values: object) -> None:
    raise ValidationError(message, field=key[:80], key=key[:80], **values)


def _table(raw: dict, key: str) -> dict:
    node = raw.get(key)
    if not isinstance(node, dict):
        _fail(key, N_("must be a table"))
    return node


def _groups(raw: dict, key: str) -> dict[str, tuple[str, ...]]:
    return {name: _words(group, f"{key}.{name}")
            for name, group in _table(raw, key).items()}


def _words(node: object, key: str) -> tuple[str, ...]:
    if not isinstance(node, dict) or set(node) != {"words"}:
        _fail(key, N_("must be a table with only a \"words\" list"))
    words = node["words"]
    if not isinstance(words, list):
        _fail(f"{key}.words", N_("must be a list of words"))
    return tuple(_word(word, f"{key}.words[{i}]") for i, word in enumerate(words))


def _word(word: object, key: str) -> str:
    if not isinstance(word, str) or not word.strip() or len(word) > MAX_WORD:
        _fail(key, N_("each word must be a text of 1 to {limit} characters"), limit=MAX_WORD)
    return word.strip()
