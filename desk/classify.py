"""Suggestions from a complaint's text as the clerk types: category, content class, degree,
severity, and the escalation-risk words found. Pure (text and lexicon in, a frozen
``Suggestion`` out) and fast once the segmenter is ready; the clerk chooses, a suggestion
never changes a field the clerk set.

Chinese is segmented with jieba (imported and its dictionary loaded once, at the first use
or by ``prepare()`` on a worker thread: about half a second, never at start-up). Text and
lexicon words go through ``desk.search_text.normalise`` (OpenCC t2s, ASCII lowered), so a
Traditional word finds Simplified text and back. A Chinese word matches a run of whole
segments, so 告 (to sue) is not found inside 公告 (a notice). English is matched word by
word, each word also in its plural and -ed/-ing forms.
"""
from __future__ import annotations

import re
import threading
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from desk.enums import Degree, Level
from desk.lexicon import Lexicon
from desk.search_text import normalise

RISK_WEIGHT = 3          # a risk word adds this much to the negative score
MAX_RUN = 4              # a Chinese word may span this many segments
_ENGLISH = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_ENDINGS = ("", "s", "es", "d", "ed", "ing")
_lock = threading.Lock()
_segmenter = None
_added: set[str] = set()


@dataclass(frozen=True)
class Suggestion:
    """What the text suggests; ``None`` where it says nothing. ``risk_words`` are the
    escalation-risk words found (as the lexicon writes them); with any, ``level`` is
    level 2."""

    category: str | None
    content_class: str | None
    degree: str | None
    severity: int | None
    risk_words: tuple[str, ...]
    level: str | None
    score: int

    @property
    def escalation_risk(self) -> bool:
        return bool(self.risk_words)


EMPTY = Suggestion(None, None, None, None, (), None, 0)


def prepare() -> None:
    """Import jieba and load its dictionary (call it off the UI thread)."""
    _tokenizer()


def _tokenizer():
    global _segmenter
    with _lock:
        if _segmenter is None:
            import logging

            import jieba
            jieba.setLogLevel(logging.WARNING)
            tokenizer = jieba.Tokenizer()
            tokenizer.initialize()
            _segmenter = tokenizer
        return _segmenter


def _teach(words: set[str]) -> None:
    """Make the lexicon's Chinese words whole segments (once each)."""
    tokenizer = _tokenizer()
    with _lock:
        for word in words - _added:
            if _CJK.search(word) and len(word) > 1:
                tokenizer.add_word(word)
            _added.add(word)


class Matcher:
    """A lexicon made ready for matching: every word normalised, grouped by what it
    counts for."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.categories = {k: _prepared(v) for k, v in lexicon.categories.items()}
        self.content = {k: _prepared(v) for k, v in lexicon.content.items()}
        self.negative = {normalise(w): weight for w, weight in lexicon.negative.items()}
        self.constructive = _prepared(lexicon.constructive)
        self.risk: dict[str, list[str]] = {}
        for word in lexicon.risk:   # every way the lexicon writes it, for showing it
            self.risk.setdefault(normalise(word), []).append(word)
        words = set(self.negative) | set(self.constructive) | set(self.risk)
        for group in (*self.categories.values(), *self.content.values()):
            words.update(group)
        self.words = frozenset(words)
        _teach({w for w in self.words if _CJK.search(w)})

    def suggest(self, text: str | None) -> Suggestion:
        found = _found_words(normalise(text or ""), self.words)
        if not found:
            return EMPTY
        category = _best(self.categories, found)
        content = _best(self.content, found)
        risks = tuple(dict.fromkeys(_as_written(self.risk[w], text or "")
                                    for w in found if w in self.risk))
        score = sum(self.negative.get(w, 0) * n for w, n in found.items()) \
            + (RISK_WEIGHT if risks else 0)
        lex = self.lexicon
        if score >= lex.accusatory:
            degree = Degree.ACCUSATORY
        elif score < lex.critical and any(w in found for w in self.constructive):
            degree = Degree.CONSTRUCTIVE
        else:
            degree = Degree.CRITICAL
        severity = 3 if score >= lex.severity_3 else 2 if score >= lex.severity_2 else 1
        if risks:
            severity = max(severity, 2)
        return Suggestion(category, content, degree.value, severity, risks,
                          Level.LEVEL2.value if risks else None, score)


def _as_written(forms: list[str], text: str) -> str:
    """The lexicon's form of a word that the text itself uses (its script), else the first."""
    lowered = text.lower()
    return next((form for form in forms if form.lower() in lowered), forms[0])


def _prepared(words) -> frozenset[str]:
    return frozenset(normalise(w) for w in words)


def _best(groups: dict[str, frozenset[str]], found: Counter) -> str | None:
    """The group whose words are found most often; the first in the lexicon on a tie."""
    best, best_hits = None, 0
    for key, words in groups.items():
        hits = sum(n for w, n in found.items() if w in words)
        if hits > best_hits:
            best, best_hits = key, hits
    return best


def _found_words(text: str, words: frozenset[str]) -> Counter:
    """Each lexicon word in ``text`` and how often it occurs."""
    found: Counter = Counter()
    if not text:
        return found
    segments = [s for s in _tokenizer().lcut(text) if _CJK.search(s)]
    for i in range(len(segments)):
        run = ""
        for segment in segments[i:i + MAX_RUN]:
            run += segment
            if run in words:
                found[run] += 1
    english = _ENGLISH.findall(text)
    if english:
        for word in words:
            if not _CJK.search(word):
                count = _english_count(word, english)
                if count:
                    found[word] += count
    return found


def _english_count(phrase: str, tokens: list[str]) -> int:
    parts = _ENGLISH.findall(phrase)
    if not parts:
        return 0
    n, count = len(parts), 0
    for i in range(len(tokens) - n + 1):
        if all(_inflected(tokens[i + j], part) for j, part in enumerate(parts)):
            count += 1
    return count


@lru_cache(maxsize=4096)
def _inflected(token: str, word: str) -> bool:
    if not token.startswith(word):
        return False
    return token[len(word):] in _ENDINGS if not word.isdigit() else token == word


_matchers: dict[str, Matcher] = {}


def matcher_for(lexicon: Lexicon) -> Matcher:
    """The matcher of a lexicon, made once per lexicon text."""
    key = lexicon.sha256 or str(id(lexicon))
    with _lock:
        found = _matchers.get(key)
    if found is None:
        found = Matcher(lexicon)
        with _lock:
            _matchers[key] = found
    return found


def suggest(lexicon: Lexicon, text: str | None) -> Suggestion:
    """The suggestion for one complaint text under one lexicon."""
    return matcher_for(lexicon).suggest(text)
