"""Search text in one script and one case: what the search index stores and what a query
looks for, so that a Simplified query finds Traditional text and back.

Both sides go through ``normalise``: OpenCC's Traditional-to-Simplified conversion, then
ASCII letters lowered (what SQLite's ``LIKE`` ignores anyway). A case's searchable fields
are normalised one by one and joined with a separator no text or query holds, so a match
never spans two fields. The index keys are the overlapping character pairs of that text
(and its single characters, for one-character queries): a query of two or more characters
is found where its pairs stand next to each other, which is exactly where it is a substring.
"""
from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

# Between two fields of a case's search text; removed from every field and query.
FIELD_SEPARATOR = "\x1f"
_ASCII_LOWER = str.maketrans({chr(c): chr(c + 32) for c in range(ord("A"), ord("Z") + 1)})
_DROP_SEPARATOR = str.maketrans({FIELD_SEPARATOR: None})
# SQLite's "ascii" FTS5 tokenizer splits at every ASCII character that is not a letter or a
# digit; moved to a private-use plane (15, which no Chinese character set uses) they stay
# inside their pair, so every pair is one token and punctuation and spaces are searchable.
_TOKEN_SAFE = str.maketrans({chr(c): chr(0xF0000 + c) for c in range(128)
                             if not chr(c).isalnum()})


@lru_cache(maxsize=1)
def _to_simplified():
    # Loaded at the first search or save, never at start-up (about 15 ms).
    import opencc
    return opencc.OpenCC("t2s")


def normalise(text: str | None) -> str:
    """``text`` in Simplified script with ASCII letters lowered, without field separators."""
    if not text:
        return ""
    return _to_simplified().convert(text.translate(_DROP_SEPARATOR)).translate(_ASCII_LOWER)


def body_of(fields: Iterable[str | None]) -> str:
    """A case's search text: its fields normalised, joined by ``FIELD_SEPARATOR``."""
    return FIELD_SEPARATOR.join(normalise(field) for field in fields)


def pairs(text: str) -> list[str]:
    """The overlapping character pairs of ``text``, in order."""
    return [text[i:i + 2] for i in range(len(text) - 1)]


def fts_columns(body: str) -> tuple[str, str]:
    """The two FTS5 columns of a search text: its pairs in order (pairs across a field
    separator hold a character no query has, so a phrase never joins two fields) and its
    distinct single characters."""
    safe = body.translate(_TOKEN_SAFE)
    return " ".join(pairs(safe)), " ".join(sorted(set(safe)))


def gram_array(body: str) -> list[str]:
    """The PostgreSQL key array of a search text: its distinct pairs and characters
    (a query's keys are contained in it wherever the query is a substring)."""
    return sorted(set(pairs(body)) | set(body))


def query_keys(needle: str) -> list[str]:
    """The keys a normalised query needs: its pairs, or itself when one character long."""
    return [needle] if len(needle) == 1 else sorted(set(pairs(needle)))


def fts_query(needle: str) -> str:
    """The FTS5 query for a normalised, non-empty query: its single character, or its pairs
    as one phrase (consecutive positions: exactly where the query is a substring)."""
    safe = needle.translate(_TOKEN_SAFE)
    if len(safe) == 1:
        return f'chars : "{safe}"'
    return 'grams : "' + " ".join(pairs(safe)) + '"'


def like_pattern(needle: str) -> str:
    """``%needle%`` for ``LIKE ... ESCAPE '/'``."""
    return "%" + needle.replace("/", "//").replace("%", "/%").replace("_", "/_") + "%"
