"""The door to the batch radar: the watch-list and a batch's cases (the "watch_list"
privilege), confirming or dismissing a batch (the "decide_batches" privilege, with a reason),
its printed notice, and the intake's preview of a draft. One unit of work per write."""
from __future__ import annotations

from desk import radar
from desk.enums import Privilege
from desk.errors import N_, AuthenticationError
from desk.model import utcnow
from desk.policy import Policy
from desk.privileges import holds, require
from desk.radar import BatchDetail, BatchRow, RadarHint
from desk.services import batches
from desk.services.auth import Actor
from desk.services.intake import CaseInput
from desk.services.settings import get_settings


class Batches:
    """The store, the policy in force and who is acting."""

    def __init__(self, store, policy: Policy, actor: Actor | None = None) -> None:
        self.store, self.policy, self.actor = store, policy, actor

    def _who(self) -> Actor:
        if self.actor is None:
            raise AuthenticationError(N_("sign in first"), field="staff_id")
        return self.actor

    def may_watch(self) -> bool:
        return holds(self.policy, self.actor, Privilege.WATCH_LIST)

    def may_decide(self) -> bool:
        return holds(self.policy, self.actor, Privilege.DECIDE_BATCHES)

    def watch_list(self, include_decided: bool = False) -> list[BatchRow]:
        require(self.policy, self._who(), Privilege.WATCH_LIST)
        with self.store.read() as session:
            return radar.watch_list(session, self.policy, include_decided=include_decided)

    def detail(self, batch_no: str) -> BatchDetail:
        require(self.policy, self._who(), Privilege.WATCH_LIST)
        with self.store.read() as session:
            return radar.batch_detail(session, self.policy, batch_no)

    def confirm(self, batch_no: str, reason: str) -> BatchDetail:
        return self._decide(batch_no, "confirmed", reason)

    def dismiss(self, batch_no: str, reason: str) -> BatchDetail:
        return self._decide(batch_no, "dismissed", reason)

    def _decide(self, batch_no: str, decision: str, reason: str) -> BatchDetail:
        with self.store.write(self._who()) as session:
            batches.decide(session, self.policy, batch_no, self._who(), decision, reason)
        return self.detail(batch_no)

    def notice_pdf(self, batch_no: str, *, locale: str | None = None) -> bytes:
        """The one-page notice listing the batch's cases, as it prints now."""
        from desk.reports.batch_notice import render_notice  # ReportLab loads when first used
        actor = self._who()
        detail = self.detail(batch_no)
        with self.store.read() as session:
            mall = get_settings(session).mall_name
        return render_notice(detail, self.policy, printed_by=f"{actor.name} ({actor.staff_no})",
                             now=utcnow(), locale=locale, mall_name=mall)

    def preview(self, draft: CaseInput) -> RadarHint | None:
        """What the radar would say of a complaint being typed (reads only)."""
        self._who()
        with self.store.read() as session:
            return radar.preview(session, self.policy, draft)
