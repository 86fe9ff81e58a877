"""Written replies' use cases for every surface: templates and canned texts, drafts, the
approver's decision (signed in at the same PC), printing a letter, the outbox and how the
store sends, and the tenant's result notice. One unit of work per call; frozen rows back,
the recipient masked for roles without the personal-data privilege."""
from __future__ import annotations

import dataclasses
import string

from desk.app.following import FollowingDoor
from desk import outbox, replies, reply_templates, sending
from desk.errors import N_
from desk.outbox import OutboxRow, SendReport
from desk.privacy import can_see_personal, mask_recipient
from desk.queries import load_case
from desk.replies import ReplyRow
from desk.reply_templates import ReplyTemplateRow
from desk.services.auth import Actor
from desk.services.settings import get_settings


class Replies(FollowingDoor):
    """The door for written replies, their templates and the outbox."""

    def _seen(self, row):
        if can_see_personal(self.policy, self._who()):
            return row
        return dataclasses.replace(row, recipient=mask_recipient(row.channel, row.recipient)
                                   or "")

    # --- templates -----------------------------------------------------------------------
    def templates(self, locale: str) -> list[ReplyTemplateRow]:
        with self.store.read() as session:
            return list(reply_templates.templates(session, locale).values())

    def filled(self, case_no: str, locale: str) -> list[tuple[str, str, str, str]]:
        """(key, title, subject, text) of every template with the case's fields in; a field
        the case does not have yet stays visible as ``$name`` for the clerk to fill in."""
        actor = self.actor()
        with self.store.read() as session:
            case = load_case(session, case_no)
            fields = reply_templates.case_fields(case, self.policy, actor.name, locale,
                                                 mall_name=get_settings(session).mall_name)
            found = reply_templates.templates(session, locale)
        return [(t.key, t.title, string.Template(t.subject).safe_substitute(fields),
                 string.Template(t.body).safe_substitute(fields)) for t in found.values()]

    def canned(self, case_no: str, locale: str) -> list[tuple[str, str]]:
        """(title, text) of the canned replies, for a notes or handling field."""
        return [(title, text) for _key, title, _subject, text in self.filled(case_no, locale)]

    def apply_templates(self, locale: str, text: str, reason: str) -> None:
        with self.store.write(self.actor()) as session:
            reply_templates.apply_templates(session, self.policy, self.actor(), locale, text,
                                            reason)

    # --- replies -------------------------------------------------------------------------
    def replies_of(self, case_no: str) -> list[ReplyRow]:
        with self.store.read() as session:
            return [self._seen(r) for r in replies.replies_of(session, case_no)]

    def waiting(self) -> list[ReplyRow]:
        """Replies awaiting an approval or the second review, across cases."""
        with self.store.read() as session:
            return [self._seen(r) for r in replies.waiting_replies(session)]

    def _row(self, session, case_no: str, reply) -> ReplyRow:
        return self._seen(replies.row_of(load_case(session, case_no).case_no, reply))

    def draft(self, case_no: str, channel: str, **kw) -> ReplyRow:
        with self.store.write(self.actor()) as session:
            reply = replies.draft_reply(session, self.policy, case_no, self.actor(), channel, **kw)
            return self._row(session, case_no, reply)

    def revise(self, case_no: str, seq: int, **kw) -> ReplyRow:
        with self.store.write(self.actor()) as session:
            reply = replies.revise_draft(session, self.policy, case_no, seq, self.actor(), **kw)
            return self._row(session, case_no, reply)

    def approve(self, case_no: str, seq: int, approver: Actor, note: str = "") -> ReplyRow:
        """``approver`` signed in at this PC (their PIN checked): the unit of work is theirs."""
        with self.store.write(approver) as session:
            reply = replies.approve_reply(session, self.policy, case_no, seq, approver, note)
            return self._row(session, case_no, reply)

    def reject(self, case_no: str, seq: int, approver: Actor, note: str) -> ReplyRow:
        with self.store.write(approver) as session:
            reply = replies.reject_reply(session, self.policy, case_no, seq, approver, note)
            return self._row(session, case_no, reply)

    def print_letter(self, case_no: str, seq: int, deliver=None) -> bytes:
        """The approved reply as a letter with the mall's header, counted as printed;
        ``deliver(pdf)`` (saving or printing) runs inside the same unit of work."""
        from desk.forms.reply_letter import render_letter
        with self.store.write(self.actor()) as session:
            reply = replies.record_print(session, self.policy, case_no, seq, self.actor())
            case = load_case(session, case_no)
            pdf = render_letter(case, reply, self.policy,
                                mall_name=get_settings(session).mall_name)
            if deliver is not None:
                deliver(pdf)
            return pdf

    def may_issue_notice(self) -> bool:
        """Whether the person signed in may issue a tenant's result notice (the button)."""
        from desk.enums import Privilege
        from desk.privileges import holds
        return holds(self.policy, self._who(), Privilege.REVIEW)

    def tenant_notice(self, case_no: str, locale: str | None = None) -> bytes:
        from desk.forms.tenant_notice import render_notice
        from desk.tenant_notice import notice_data
        with self.store.read() as session:
            data = notice_data(session, self.policy, case_no, self.actor(), locale=locale)
        return render_notice(data, self.policy)

    # --- the outbox ----------------------------------------------------------------------
    def queue(self, case_no: str, seq: int) -> int:
        with self.store.write(self.actor()) as session:
            return outbox.queue_reply(session, self.policy, case_no, seq, self.actor()).id

    def outbox(self, state: str | None = None, case_no: str | None = None) -> list[OutboxRow]:
        with self.store.read() as session:
            return [self._seen(r) for r in outbox.outbox_rows(session, state=state,
                                                              case_no=case_no)]

    def send_due(self) -> SendReport:
        """Blocking network calls: a screen runs this on a worker thread."""
        return outbox.send_due(self.store, self.policy, self.actor())

    def retry(self, item_id: int) -> None:
        with self.store.write(self.actor()) as session:
            outbox.retry(session, item_id, self.actor())

    def send_settings(self) -> dict:
        """For an administrator only: a gateway's address and body often carry its key."""
        from desk.enums import Privilege
        from desk.privileges import require
        require(self.policy, self.actor(), Privilege.ADMIN,
                N_("only an administrator may see how the store sends messages"),
                field="staff_id")
        with self.store.read() as session:
            config, unopened = sending.opened_config(session)
        return config.shown(unopened)

    def save_send_settings(self, **values) -> dict:
        with self.store.write(self.actor()) as session:
            sending.save_config(session, self.policy, self.actor(), **values)
            config, unopened = sending.opened_config(session)
        return config.shown(unopened)
