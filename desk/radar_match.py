"""When two complaints are about the same thing and when they come from the same customer:
the batch radar's pure comparisons (no store), shared by the save and the intake's preview.

Key words are the complaint's text in one script (``desk.search_text.normalise``, so 電梯
and 电梯 agree): its overlapping pairs of Chinese characters and its Latin words of three
letters or more. Two complaints share key words when they have at least ``min_shared`` in
common and those make up at least ``overlap`` of the shorter one's: a handful of common
pairs (我們, 今天) in two long texts about different things stays below the share.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from desk.search_text import normalise

# Subjects named by text: the same name (in one script, spaces ignored) is the same subject.
NAMED_SUBJECTS = frozenset({"tenant", "facility", "campaign", "product", "charge"})
_WORD = re.compile(r"[a-z0-9]{3,}")
_SPACES = re.compile(r"\s+")
# Latin words too common to say what a complaint is about.
_COMMON = frozenset("the and was were with for that this not but have has had you our they "
                    "she his her its are from when what who about there their been into "
                    "then than very too".split())


# Function characters: a pair starting or ending with one (的鞋, 買了, 沒有) names nothing.
_FUNCTION = frozenset("的了是在我你他她它們们很就也都和與与把被說说又還还有沒没但")
LONGEST_PHRASE = 8
TOPIC_SAMPLE = 40


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def key_terms(text: str | None, normalised: str | None = None) -> frozenset[str]:
    """The key words of a complaint text (see the module's note); ``normalised`` is its
    text in one script when already known (the search index keeps it)."""
    norm = normalise(text) if normalised is None else normalised
    terms = {norm[i:i + 2] for i in range(len(norm) - 1)
             if _is_han(norm[i]) and _is_han(norm[i + 1])
             and norm[i] not in _FUNCTION and norm[i + 1] not in _FUNCTION}
    terms.update(w for w in _WORD.findall(norm) if w not in _COMMON)
    return frozenset(terms)


def subject_key(kind: str | None, name: str | None, staff_id: int | None,
                normalised: str | None = None) -> str | None:
    """What a complaint is about, as one comparable key (None: nothing to compare);
    ``normalised`` is the name in one script when already known."""
    if kind == "staff":
        return f"staff:{staff_id}" if staff_id is not None else None
    if kind in NAMED_SUBJECTS and name and name.strip():
        return f"{kind}:" + _SPACES.sub("", normalise(name) if normalised is None else normalised)
    return None


@dataclass(frozen=True)
class Complaint:
    """What the radar compares of one case (or of the intake's draft)."""

    id: int | None
    case_no: str
    subject: str | None
    category: str
    terms: frozenset[str]
    phone: str
    member_no: str
    name: str


def complaint_of(*, id: int | None, case_no: str, subject_kind: str | None,
                 subject_name: str | None, subject_staff_id: int | None, category: str,
                 complaint: str | None, phone: str | None, member_no: str | None,
                 name: str | None, normalised: tuple[str, str, str] | None = None
                 ) -> Complaint:
    """``normalised``: the customer's name, the subject and the complaint already in one
    script (the search index keeps them), saving OpenCC a pass over each."""
    n_name, n_subject, n_complaint = normalised or (None, None, None)
    return Complaint(id=id, case_no=case_no,
                     subject=subject_key(subject_kind, subject_name, subject_staff_id, n_subject),
                     category=category, terms=key_terms(complaint, n_complaint),
                     phone="".join(ch for ch in (phone or "") if ch.isdigit()),
                     member_no=(member_no or "").strip().upper(),
                     name=_SPACES.sub("", normalise(name) if n_name is None else n_name))


def shares_key_words(a: frozenset[str], b: frozenset[str], min_shared: int,
                     overlap: float) -> bool:
    if not a or not b:
        return False
    shared = len(a & b)
    return shared >= min_shared and shared >= overlap * min(len(a), len(b))


def related(a: Complaint, b: Complaint, rules) -> bool:
    """Whether two complaints are about the same thing under the policy's ``[radar]``."""
    if "subject" in rules.match and a.subject is not None and a.subject == b.subject:
        return True
    return ("keywords" in rules.match and a.category == b.category
            and shares_key_words(a.terms, b.terms, rules.min_shared, rules.overlap))


def same_customer(a: Complaint, b: Complaint) -> bool:
    """The same phone or member number, or the same name where no phone or member number
    tells them apart (two people of one name with different phones are two customers)."""
    if a.phone and a.phone == b.phone or a.member_no and a.member_no == b.member_no:
        return True
    if a.phone and b.phone or a.member_no and b.member_no:
        return False
    return bool(a.name) and a.name == b.name


def customers(complaints: Iterable[Complaint]) -> int:
    """How many different customers made these complaints: ``same_customer`` joined
    transitively, in one pass over keys (a busy week's batch holds hundreds)."""
    items = list(complaints)
    parent = list(range(len(items)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(members: list[int]) -> None:
        for other in members[1:]:
            parent[root(other)] = root(members[0])

    by_key: dict[tuple[str, str], list[int]] = {}
    unnamed: set[str] = set()   # names of complaints with neither phone nor member number
    for i, c in enumerate(items):
        for kind, key in (("phone", c.phone), ("member", c.member_no), ("name", c.name)):
            if key:
                by_key.setdefault((kind, key), []).append(i)
        if not c.phone and not c.member_no and c.name:
            unnamed.add(c.name)
    for (kind, key), members in by_key.items():
        # a name joins only where one of its holders has nothing else to tell them apart
        if kind != "name" or key in unnamed:
            join(members)
    return len({root(i) for i in range(len(items))})


def grow_phrase(phrase: str, holders: list[str]) -> str:
    """Lengthen a key word while every (normalised) text holding it holds the longer one
    too: 电梯 + 梯故 + 故障 -> 电梯故障, so a list of key words reads as words."""
    for _step in range(LONGEST_PHRASE):
        grown = False
        for side in (1, -1):
            nexts: Counter = Counter()
            for text in holders:
                i = text.find(phrase)
                j = i + len(phrase) if side == 1 else i - 1
                if i >= 0 and 0 <= j < len(text):
                    nexts[text[j]] += 1
            if not nexts:
                continue
            ch, n = nexts.most_common(1)[0]
            if n == len(holders) and len(phrase) < LONGEST_PHRASE and ch.isalnum() \
                    and ch not in _FUNCTION:
                phrase = phrase + ch if side == 1 else ch + phrase
                grown = True
        if not grown:
            break
    return phrase


def overlaps(a: str, b: str) -> bool:
    """Whether two phrases share a pair of characters (场缴费机 and 停车场缴费机 do)."""
    return any(a[i:i + 2] in b for i in range(len(a) - 1)) or a in b or b in a


def as_written(phrase: str, originals: list[str], texts: list[str]) -> str:
    """A normalised phrase as the first text holding it spelt it (the script its clerk
    typed); ``texts`` are ``originals`` normalised."""
    for original, text in zip(originals, texts):
        i = text.find(phrase)
        if i >= 0 and len(original) == len(text):
            return original[i:i + len(phrase)]
    return phrase


def topic_of(group: list[Complaint], subject_name: str | None, originals: list[str],
             limit: int = 3) -> str:
    """A short line saying what the group is about: the subject's name, or the key words
    most of them share (grown into phrases, as the first complaint wrote them)."""
    if subject_name:
        return subject_name
    # the first few say what they are about as well as hundreds would, at a fraction
    group, originals = list(group)[:TOPIC_SAMPLE], list(originals)[:TOPIC_SAMPLE]
    texts = [normalise(t) for t in originals]
    counts = Counter(term for c in group for term in c.terms)
    chosen: list[str] = []
    for term, n in counts.most_common():
        if n < 2 or len(chosen) == limit:
            break
        phrase = grow_phrase(term, [t for t in texts if term in t])
        if not any(overlaps(phrase, c) for c in chosen):
            chosen.append(phrase)
    phrases = [as_written(p, originals, texts) for p in chosen]
    # listed as the complaint's own language lists words: 開膠、鞋底 but "sole, loose"
    han = any(_is_han(ch) for phrase in phrases for ch in phrase)
    return ("、" if han else ", ").join(phrases)
