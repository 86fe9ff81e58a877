"""The review screen's door into the main store: the supervisor's day review, decisions,
day close and reopen, day packs, reports and follow-up calls, one unit of work per call, done
by the signed-in supervisor. ``desk.packs.PackReview`` answers the same calls from a pack."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from desk.enums import Privilege
from desk.model import Case, Staff
from desk.policy import Policy
from desk.privacy import for_viewer, rows_for_viewer
from desk.privileges import require
from desk.review import (ReviewDay, ReviewHistoryRow, close_day, decide, reopen_day,
                         review_day, review_history)
from desk.services.auth import Actor


class StoreReview:
    """The review screen's view of the main store (one unit of work per call), matching
    ``desk.pack_review.PackReview`` so the same screen reviews from either."""

    def __init__(self, store, policy: Policy, actor: Actor) -> None:
        self.store, self.policy, self.actor = store, policy, actor
        self._staff: dict[str, str] | None = None

    def review_day(self, day: date, desk: str | None = None) -> ReviewDay:
        with self.store.read() as session:
            return review_day(session, self.policy, day, desk)

    def desks(self) -> list[str]:
        with self.store.read() as session:
            return sorted(session.scalars(select(Case.desk).distinct()))

    def document(self, case_no: str) -> dict:
        from desk.casedoc import export_case
        from desk.privacy import document_mask
        with self.store.read() as session:
            return export_case(session, case_no,
                               mask=document_mask(self.policy, self.actor))

    def staff_name(self, staff_no: str | None) -> str:
        if self._staff is None:
            with self.store.read() as session:
                self._staff = dict(session.execute(select(Staff.staff_no, Staff.name)).all())
        return self._staff.get(staff_no or "", staff_no or "")

    def history(self, case_no: str) -> list[ReviewHistoryRow]:
        with self.store.read() as session:
            return review_history(session, case_no)

    def form_pdf(self, case_no: str) -> bytes:
        """The printed form, rendered to look at (not recorded as a print)."""
        from desk.forms import render_triplicate
        from desk.queries import case_detail
        with self.store.read() as session:
            detail = for_viewer(case_detail(session, case_no), self.policy, self.actor)
        return render_triplicate(detail, self.policy, locale=self.policy.locale,
                                 paper=self.policy.paper, copies=(1,),
                                 printed_by=f"{self.actor.name} ({self.actor.staff_no})")

    def decide(self, case_no: str, decision: str, comment: str = "", *,
               expected_version: int | None = None) -> None:
        with self.store.write(self.actor) as session:
            decide(session, self.policy, case_no, self.actor, decision, comment,
                   expected_version=expected_version)

    def close_day(self, desk: str, day: date):
        """Close the day; returns the audit head after it (``Head``), to show and print."""
        from desk.audit.anchors import head_of
        with self.store.write(self.actor) as session:
            close_day(session, self.policy, self.actor, desk, day)
        with self.store.read() as session:
            return head_of(session.connection())

    def reopen_day(self, desk: str, day: date, reason: str) -> None:
        with self.store.write(self.actor) as session:
            reopen_day(session, self.policy, self.actor, desk, day, reason)

    def export_pack(self, day: date, desk: str | None, out) -> object:
        from desk.packs import prepare_pack, save_pack
        with self.store.read() as session:
            pack = prepare_pack(session, self.policy, self.actor, day, desk)
        with self.store.write(self.actor) as session:
            return save_pack(session, self.actor, pack, out)

    def import_pack(self, path) -> object:
        from desk.packs import import_pack
        with self.store.write(self.actor) as session:
            return import_pack(session, self.policy, self.actor, path)

    def write_report(self, kind: str, day: date, desk: str | None, out, *,
                     mall: str | None = None) -> list:
        """The day's or week's statistics as files: one desk, one mall of a group (its
        name heads the report), or the whole store (every mall of a group)."""
        from desk.reports.files import write_report
        from desk.reports.stats import day_stats, week_stats
        from desk.services import malls
        require(self.policy, self.actor, Privilege.REPORTS)
        make = day_stats if kind == "day" else week_stats
        with self.store.read() as session:
            mall = malls.check_known(session, mall) if mall is not None else None
            stats = make(session, self.policy, day, desk, mall=mall)
            name = malls.name_on_paper(session, mall)
        return write_report(stats, self.policy, out, mall_name=name)

    def patterns(self, day: date, desk: str | None = None):
        """The week holding ``day`` seen as a pattern (``desk.reports.patterns.Patterns``):
        batches, hot topics, cases per category per day, complaints against staff."""
        from desk.reports.patterns import patterns_of
        from desk.reports.stats import scope, week_of
        require(self.policy, self.actor, Privilege.REPORTS)
        start, end = week_of(day)
        with self.store.read() as session:
            return patterns_of(session, self.policy, start, end, scope(desk))

    def follow_ups(self) -> list:
        from desk.followup import follow_up_queue
        with self.store.read() as session:
            rows = follow_up_queue(session, self.policy)
        return rows_for_viewer(rows, self.policy, self.actor)

    def overdue_follow_ups(self) -> int:
        from desk.followup import overdue_follow_ups
        with self.store.read() as session:
            return overdue_follow_ups(session, self.policy)

    def record_call(self, case_no: str, *, reached: bool, satisfaction: int | None,
                    comment: str, text_sent: bool):
        from desk.followup import record_call
        with self.store.write(self.actor) as session:
            return record_call(session, self.policy, case_no, self.actor, reached=reached,
                               satisfaction=satisfaction, comment=comment, text_sent=text_sent)


def trusted_pack_keys(store) -> dict[str, str]:
    """The pack keys this PC's store trusts (its own, and those registered with ``desk pack
    trust add``), for ``PackReview(path, trusted=...)``: a screen opening a pack passes them
    so a pack forged or from an unknown store is refused there as by ``desk pack show``."""
    from desk.pack_signing import trusted_keys
    with store.read() as session:
        return trusted_keys(session)
