"""The promises' use cases: interim contacts, the queue of promises due or broken, and the
customer's acknowledgement slip (PDF or receipt printer), one unit of work per write done by
the signed-in person, frozen rows back (masked as that person may see them).

It sits beside ``desk.app.counter.Counter`` like ``desk.app.aftercare``; the rules are in
``desk.promises``, ``desk.services.contact`` and ``desk.forms.slip``.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from desk.app.following import FollowingDoor
from desk import promises, queries
from desk.model import utcnow
from desk.privacy import for_viewer, rows_for_viewer
from desk.promises import PromiseRow
from desk.queries import CaseDetail
from desk.services.settings import get_settings


class Promises(FollowingDoor):
    """The door for interim contacts, the promises' queue and the slip."""

    # --- interim contacts ----------------------------------------------------------------
    def log_contact(self, case_no: str, *, reached: bool, channel: str, said: str,
                    promised_reply_at: datetime | None) -> CaseDetail:
        with self.store.write(self.actor()) as session:
            promises.log_contact(session, self.policy, case_no, self.actor(), reached=reached,
                                 channel=channel, said=said,
                                 promised_reply_at=promised_reply_at)
        with self.store.read() as session:
            return for_viewer(queries.case_detail(session, case_no), self.policy, self._who())

    def queue(self, now: datetime | None = None, desk: str | None = None) -> list[PromiseRow]:
        """Promises due within the policy's warning time or broken, on open cases."""
        with self.store.read() as session:
            rows = promises.promise_queue(session, self.policy, now, desk=desk)
        return rows_for_viewer(rows, self.policy, self._who())

    def broken_in(self, since: datetime, until: datetime) -> int:
        with self.store.read() as session:
            return promises.broken_promises(session, since, until)

    def broken_this_week(self, now: datetime | None = None) -> int:
        now = now or utcnow()
        local = now.astimezone(self.policy.tz)
        monday = (local - timedelta(days=local.weekday())).replace(hour=0, minute=0, second=0,
                                                                    microsecond=0)
        return self.broken_in(monday, monday + timedelta(days=7))

    # --- the acknowledgement slip --------------------------------------------------------
    def _slip_source(self, case_no: str):
        """The case as the slip shows it: contact details masked whoever prints it (a slip
        is easily lost), and the store's mall name."""
        with self.store.read() as session:
            detail = for_viewer(queries.case_detail(session, case_no), self.policy, None)
            return detail, get_settings(session).mall_name

    def slip_pdf(self, case_no: str, *, locale: str, paper: str = "receipt") -> bytes:
        """The slip as PDF (contact details on it are masked, whoever prints it)."""
        from desk.forms.slip import render_slip
        self.actor()
        detail, mall = self._slip_source(case_no)
        return render_slip(detail, self.policy, locale=locale, paper=paper, mall_name=mall)

    def slip_escpos(self, case_no: str, target, *, locale: str, device=None) -> None:
        """Print the slip on a receipt printer: ``target`` (text or ``PrinterTarget``), or an
        open python-escpos ``device`` (tests use its Dummy and File printers)."""
        from desk.forms.slip import slip_content
        from desk.forms.slip_escpos import open_printer, parse_target, print_slip
        self.actor()
        detail, mall = self._slip_source(case_no)
        content = slip_content(detail, self.policy, locale=locale, mall_name=mall)
        opened = device is None         # a device handed in stays the caller's to close
        if opened:
            device = open_printer(parse_target(target) if isinstance(target, str) else target)
        try:
            print_slip(content, device, self.policy.font, self.policy.font_index)
        finally:
            if opened:
                device.close()


__all__ = ["Promises"]
