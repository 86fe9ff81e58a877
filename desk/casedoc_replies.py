"""Written replies in the case document: export (the text and who drafted, approved and
reviewed it, never a PIN) and the replay on import through ``desk.replies``, each decision
attributed as ``desk.casedoc_trust`` allows: an approval is believed only with the
approver's own PIN; in migrated history it is kept as a record but never lets the reply go
out (``replies.releasable`` refuses a migrated reply)."""
from __future__ import annotations

from sqlalchemy import select

from desk import replies
from desk.errors import N_, ValidationError
from desk.replies_model import Reply
from desk.services import validate

DECISIONS = ("approval", "second_review", "rejection")   # in the order they happen


def export_replies(session, case, staff: dict) -> list[dict]:
    out = []
    for r in session.scalars(select(Reply).where(Reply.case_id == case.id).order_by(Reply.seq)):
        item = {"channel": r.channel, "locale": r.locale, "template": r.template,
                "recipient": r.recipient, "subject": r.subject, "body": r.body,
                "by": staff[r.drafted_by_id], "at": _iso(r.drafted_at), "state": r.state}
        if r.approved_by_id:
            item["approval"] = {"by": staff[r.approved_by_id], "at": _iso(r.approved_at)}
        if r.reviewed_by_id:
            item["second_review"] = {"by": staff[r.reviewed_by_id], "at": _iso(r.reviewed_at)}
        if r.rejected_by_id:
            item["rejection"] = {"by": staff[r.rejected_by_id], "at": _iso(r.rejected_at),
                                 "note": r.decision_note}
        elif r.decision_note and "approval" in item:
            item["approval"]["note"] = r.decision_note
        out.append(item)
    return out


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def reply_events(replay, doc: dict, as_list, as_dict, at_of) -> list:
    """(time, order, action) for each reply of ``doc``: the draft, then its decisions."""
    s, p, who = replay.session, replay.policy, replay.who
    events = []
    for i, item in enumerate(as_list(doc, "replies")):
        f = f"replies[{i}]"
        item = as_dict(item, f)
        seq = i + 1
        by = who.actor(item, f"{f}.by")
        events.append((at_of(item, f), 4, lambda no, at, r=item, by=by: replies.draft_reply(
            s, p, no, by, r.get("channel"), locale=r.get("locale"), template=r.get("template"),
            body=r.get("body"),
            subject=r.get("subject") or "", recipient=r.get("recipient"), now=at)))
        previous = None
        for order, key in enumerate(DECISIONS, start=5):
            block = item.get(key)
            if block is None:
                continue
            block = as_dict(block, f"{f}.{key}")
            if key == "rejection" and "second_review" in item:
                raise ValidationError(N_("a reply is either rejected or reviewed, not both"),
                                      field=f"{f}.{key}")
            decider = who.actor(block, f"{f}.{key}.by")
            when = validate.aware(block.get("at"), f"{f}.{key}.at")
            if previous is not None and when < previous:
                raise ValidationError(N_("{value} is before the decision it follows"),
                                      field=f"{f}.{key}.at", value=str(block.get("at"))[:40])
            previous = when
            if key == "rejection":
                action = (lambda no, at, b=block, d=decider, n=seq:
                          replies.reject_reply(s, p, no, n, d, b.get("note") or "", now=at))
            else:
                action = (lambda no, at, b=block, d=decider, n=seq:
                          replies.approve_reply(s, p, no, n, d, b.get("note") or "", now=at))
            events.append((when, order, action))
    return events
