"""Money's use cases behind the door: the finance queue and a cost's life (approve, return,
send back, pay, signed for, overcharge verified), the customer's signed settlement, and the
staff member found at fault. One unit of work per call, done by the signed-in person."""
from __future__ import annotations


from desk.app.following import FollowingDoor
from desk import attachments, finance, queries
from desk.finance import CostRow
from desk.privacy import for_viewer
from desk.queries import CaseDetail
from desk.services import finance as costs
from desk.services import settlement
from desk.services.settlement import SettledBefore


class Money(FollowingDoor):
    """The door for a cost's life, settlements and staff findings."""

    # --- reading -------------------------------------------------------------------------
    def may_see_costs(self) -> bool:
        return finance.may_see_costs(self.policy, self._who())

    def queue(self, states: tuple[str, ...] | None = None) -> list[CostRow]:
        with self.store.read() as session:
            return finance.cost_queue(session, self.policy, self.actor(), states=states)

    def case_costs(self, case_no: str) -> list[CostRow]:
        with self.store.read() as session:
            case = queries.load_case(session, case_no)
            return finance.case_costs(session, self.policy, case)

    def settlement_needed(self, case_no: str) -> bool:
        with self.store.read() as session:
            return settlement.settlement_needed(self.policy, queries.load_case(session, case_no))

    def prior_settlements(self, case_no: str) -> list[SettledBefore]:
        with self.store.read() as session:
            return settlement.prior_settlements(session, queries.load_case(session, case_no))

    def not_accept_proposal(self, case_no: str) -> tuple[str, str] | None:
        """("settled", note) when the customer already signed a settlement on this subject."""
        return settlement.not_accept_proposal(self.policy, self.prior_settlements(case_no))

    # --- a cost's life -------------------------------------------------------------------
    def _do(self, call, case_no: str, *args, **kw) -> list[CostRow]:
        actor = self.actor()
        with self.store.write(actor) as session:
            call(session, self.policy, case_no, *args[:1], actor, *args[1:], **kw)
        return self.case_costs(case_no)

    def approve(self, case_no: str, seq: int, note: str = "") -> list[CostRow]:
        return self._do(costs.approve_cost, case_no, seq, note)

    def return_(self, case_no: str, seq: int, reason: str) -> list[CostRow]:
        return self._do(costs.return_cost, case_no, seq, reason)

    def resubmit(self, case_no: str, seq: int, note: str) -> list[CostRow]:
        return self._do(costs.resubmit_cost, case_no, seq, note)

    def pay(self, case_no: str, seq: int, how: str, refs=(), *, amount=None,
            note: str = "") -> list[CostRow]:
        return self._do(costs.pay_cost, case_no, seq, how, refs, amount=amount, note=note)

    def sign(self, case_no: str, seq: int, recipient: str) -> list[CostRow]:
        return self._do(costs.sign_cost, case_no, seq, recipient)

    def verify_overcharge(self, case_no: str, seq: int, evidence: str, *,
                          scan: bytes | None = None, scan_name: str = "") -> list[CostRow]:
        return self._do(costs.verify_overcharge, case_no, seq, evidence, scan=scan,
                        scan_name=scan_name)

    # --- settlement and the staff at fault -----------------------------------------------
    def sign_settlement(self, case_no: str, signer: str, method: str, signature: bytes, *,
                        name: str = "", terms: str = "") -> CaseDetail:
        actor = self.actor()
        with self.store.write(actor) as session:
            settlement.sign_settlement(session, self.policy, case_no, actor, signer, method,
                                       signature, name=name, terms=terms)
        with self.store.read() as session:
            return for_viewer(queries.case_detail(session, case_no), self.policy, actor)

    def agreement_pdf(self, case_no: str, locale: str | None = None) -> bytes:
        """The settlement agreement in the customer's language (``locale`` overrides it), with
        the signature drawn in once the customer signed on screen."""
        from desk.forms.agreement import render_agreement   # the PDF engine loads when used
        from desk.services.settings import get_settings
        actor = self.actor()
        with self.store.read() as session:
            detail = for_viewer(queries.case_detail(session, case_no), self.policy, actor)
            signature = (attachments.read_bytes(session, detail.settlement.signature_sha256)
                         if detail.settlement else None)
            mall = get_settings(session).mall_name
        return render_agreement(detail, self.policy, locale=locale, mall_name=mall,
                                signature=signature)

    def record_finding(self, case_no: str, staff_no: str, finding: str) -> None:
        actor = self.actor()
        with self.store.write(actor) as session:
            settlement.record_finding(session, self.policy, case_no, actor, staff_no, finding)
