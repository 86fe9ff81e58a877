"""After-care's use cases: the paused resolution clock, root-cause records and tenant
chargebacks, one unit of work per call done by the signed-in person, frozen rows back.

It sits beside ``desk.app.counter.Counter`` (same store, policy and signed-in person) rather
than in it, so the counter's door stays about the counter; every rule is in ``desk.followup``
and ``desk.corrective``.
"""
from __future__ import annotations

from decimal import Decimal

from desk.app.following import FollowingDoor
from desk import corrective, followup, queries
from desk.corrective import ChargebackRow, RootCauseRow
from desk.followup import PauseRow
from desk.queries import CaseDetail


class Aftercare(FollowingDoor):
    """The door for work after the case: clock pauses, root causes, chargebacks."""

    def may_correct(self) -> bool:
        return corrective.may_correct(self.policy, self._who())

    # --- one case ------------------------------------------------------------------------
    def pauses(self, case_no: str) -> list[PauseRow]:
        with self.store.read() as session:
            return followup.pauses(session, case_no)

    def root_causes_of(self, case_no: str) -> list[RootCauseRow]:
        with self.store.read() as session:
            return corrective.root_causes(session, case_no=case_no)

    def chargebacks_of(self, case_no: str) -> list[ChargebackRow]:
        with self.store.read() as session:
            return corrective.chargebacks(session, case_no=case_no)

    def chargeback_room(self, case_no: str) -> Decimal:
        with self.store.read() as session:
            return corrective.chargeback_room(session, case_no)

    def _detail(self, case_no: str) -> CaseDetail:
        with self.store.read() as session:
            return queries.case_detail(session, case_no)

    def pause(self, case_no: str, waiting_on: str, reason: str) -> CaseDetail:
        with self.store.write(self.actor()) as session:
            followup.pause(session, self.policy, case_no, self.actor(), waiting_on, reason)
        return self._detail(case_no)

    def resume(self, case_no: str, note: str = "") -> CaseDetail:
        with self.store.write(self.actor()) as session:
            followup.resume(session, self.policy, case_no, self.actor(), note)
        return self._detail(case_no)

    def record_chargeback(self, case_no: str, amount: object, reason: str = "") -> CaseDetail:
        with self.store.write(self.actor()) as session:
            corrective.record_chargeback(session, self.policy, self.actor(), case_no, amount,
                                         reason)
        return self._detail(case_no)

    # --- the supervisor's lists ----------------------------------------------------------
    def root_causes(self, *, open_only: bool = False) -> list[RootCauseRow]:
        with self.store.read() as session:
            return corrective.root_causes(session, open_only=open_only)

    def chargebacks(self, *, open_only: bool = False) -> list[ChargebackRow]:
        with self.store.read() as session:
            return corrective.chargebacks(session, open_only=open_only)

    def open_root_cause(self, case_nos: list[str], title: str, problem: str,
                        team: str = "") -> int:
        with self.store.write(self.actor()) as session:
            return corrective.open_root_cause(session, self.policy, self.actor(), case_nos,
                                              title, problem, team=team).id

    def update_root_cause(self, record_id: int, **values: str) -> int:
        with self.store.write(self.actor()) as session:
            corrective.update_root_cause(session, self.policy, self.actor(), record_id,
                                         **values)
        return record_id

    def verify_root_cause(self, record_id: int) -> int:
        with self.store.write(self.actor()) as session:
            corrective.verify_root_cause(session, self.policy, self.actor(), record_id)
        return record_id

    def settle_chargeback(self, chargeback_id: int, note: str = "") -> int:
        with self.store.write(self.actor()) as session:
            corrective.settle_chargeback(session, self.policy, self.actor(), chargeback_id,
                                         note)
        return chargeback_id


__all__ = ["Aftercare"]
