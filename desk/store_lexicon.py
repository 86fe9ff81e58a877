"""The store's own lexicon: kept in the store (``store_lexicon``), read by the intake's
suggestions, and changed only by a role with the ``policy`` privilege (signed in, audited,
with a reason), as the store's policy is.

The bundled ``resources/lexicon.toml`` seeds a new store (and an older store at its first
start with this program); after that an edited bundled file is only reported as differing.
Each change counts the version up; the audit log keeps the row before and after (text,
SHA-256, version) and who changed it and why.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desk import __version__
from desk.audit.believed import believed_values
from desk.enums import Privilege
from desk.errors import N_, ValidationError
from desk.lexicon import Lexicon, parse_lexicon, read_lexicon_text, sha256_of
from desk.model import StoreLexicon, utcnow
from desk.privileges import require
from desk.services import validate
from desk.services.auth import Actor
from desk.store_policy import store_policy

KEY = "in_force"                 # the one row of store_lexicon
# The lexicon steers suggestions only, never a rule; whoever may change the store's policy
# may change it, so no policy needs a new privilege to keep its lexicon up to date.
PRIVILEGE = Privilege.POLICY
STORE_SEEDED = "store_seeded"    # ``system`` of the row the first start writes
REFUSAL = N_("only a role with the \"policy\" privilege may change the store's lexicon")


@dataclass(frozen=True)
class LexiconRecord:
    """The lexicon a store keeps, its version and who set it (a staff number, or the
    system when the program seeded it)."""

    text: str
    sha256: str
    version: int
    set_at: datetime
    set_by: str | None
    system: str | None
    reason: str


def lexicon_record(session: Session) -> LexiconRecord | None:
    """The lexicon as the program last wrote it. A row edited behind the program's back is
    not believed: its last audit entry is."""
    row = session.get(StoreLexicon, KEY)
    if row is None:
        return None
    return LexiconRecord(**believed_values(
        session, row, (f.name for f in fields(LexiconRecord)),
        warning="the store's lexicon differs from its audit log; the logged one is used",
        never_logged=N_("the store's lexicon was written outside Complaint Desk and was "
                        "never recorded in its audit log; restore a backup")))


def ensure_store_lexicon(store) -> None:
    """Give a store without a lexicon the bundled one, as the system."""
    with store.read() as session:
        if session.get(StoreLexicon, KEY) is not None:
            return
    text = read_lexicon_text()
    parse_lexicon(text)   # a damaged bundled file never becomes a store's lexicon
    try:
        with store.write(system="init") as session:
            if session.get(StoreLexicon, KEY) is not None:
                return
            session.add(StoreLexicon(
                key=KEY, text=text, sha256=sha256_of(text), version=1, set_at=utcnow(),
                set_by=None, system=STORE_SEEDED,
                reason=f"resources/lexicon.toml, Complaint Desk {__version__}"))
    except IntegrityError:   # another desk seeded it in the same moment: theirs stands
        pass


def store_lexicon(session: Session) -> Lexicon:
    record = lexicon_record(session)
    if record is None:
        raise ValidationError(N_("this store has no lexicon yet; open it once with "
                                 "Complaint Desk to set it"), field="lexicon")
    return parse_lexicon(record.text)


def load_store_lexicon(store) -> Lexicon:
    """What the intake's suggestions use: the lexicon the store keeps (seeded if none)."""
    ensure_store_lexicon(store)
    with store.read() as session:
        return store_lexicon(session)


def check_lexicon_text(session: Session, text: str) -> Lexicon:
    """Validate a lexicon for this store as applying it would: every problem names its
    key, and its categories must be the store's policy's."""
    return parse_lexicon(text, categories=store_policy(session).categories)


def apply_lexicon(session: Session, actor: Actor, text: str, reason: object, *,
                  now: datetime | None = None) -> LexiconRecord:
    """Replace the store's lexicon: the ``policy`` privilege, a reason, a valid text that
    differs from the one in force. The version counts up."""
    require(store_policy(session), actor, PRIVILEGE, REFUSAL, field="staff_id")
    reason = validate.text(reason, "reason", max_len=500)
    check_lexicon_text(session, text)
    row = session.get(StoreLexicon, KEY)
    if row is None:
        raise ValidationError(N_("this store has no lexicon yet; open it once with "
                                 "Complaint Desk to set it"), field="lexicon")
    digest = sha256_of(text)
    if row.sha256 == digest:
        raise ValidationError(N_("the store already uses this lexicon"), field="lexicon")
    current = lexicon_record(session)
    row.text, row.sha256, row.version = text, digest, current.version + 1
    row.set_at, row.set_by, row.system, row.reason = now or utcnow(), actor.staff_no, None, reason
    session.flush()
    return lexicon_record(session)


def bundled_differs(record: LexiconRecord) -> str | None:
    """The bundled file's SHA-256 when it says something else than the store's lexicon."""
    try:
        digest = sha256_of(read_lexicon_text())
    except ValidationError:
        return None
    return digest if digest != record.sha256 else None
