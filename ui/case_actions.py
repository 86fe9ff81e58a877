"""The lifecycle actions on one case (resolve, escalate, not accepted, close, void, follow-up
call, duplicate link, pause and resume of the resolution clock, a contact before the reply,
tenant chargeback): each is
a small form, one ``desk`` call, and the domain's message shown inline when it says no."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QWidget

from desk.enums import Level, NotAcceptedReason, Validity
from desk.followup import WAITING_ON
from desk.i18n import N_, _, format_datetime, format_money
from desk.queries import CaseDetail
from desk.app.replies import Replies
from ui.aftercare import Aftercare
from ui.errors import reported
from ui.form_dialog import Field, FormDialog
from ui.session import Desk


def _choices(enum) -> tuple:
    return tuple((m.value, lambda m=m: m.label) for m in enum)


def resolve_dialog(desk: Desk, case: CaseDetail, parent: QWidget | None) -> FormDialog:
    fields = [Field("result", N_("&Handling result"), "text"),
              Field("validity", N_("Is the complaint &founded?"), "choice",
                    _choices(Validity), Validity.FOUNDED.value),
              Field("police", N_("&Police report no. (lost property)"))]
    return FormDialog(_("Resolve {case_no}").format(case_no=case.case_no), fields,
                      lambda v: desk.resolve(case.case_no, v["result"], v["validity"],
                                             v["police"] or None), parent,
                      canned=lambda: Replies.of_desk(desk).canned(case.case_no,
                                                                  case.text_locale))


def escalate_dialog(desk: Desk, case: CaseDetail, parent: QWidget | None) -> FormDialog:
    higher = [lv for lv in Level if lv.order > Level(case.level).order] or list(Level)
    fields = [Field("level", N_("&To level"), "choice", _choices(higher), higher[0].value),
              Field("reason", N_("&Reason"), "text"),
              Field("severity", N_("&Severity (optional)"), "number", default=0),
              Field("handler", N_("New &handler's staff ID (optional)"))]
    return FormDialog(_("Escalate {case_no}").format(case_no=case.case_no), fields,
                      lambda v: desk.escalate(case.case_no, v["level"], v["reason"],
                                              v["severity"], v["handler"] or None), parent,
                      intro=_("Escalate at once when you cannot resolve it: nobody may stall "
                              "a case as outside their authority."))


def not_accept_dialog(desk: Desk, case: CaseDetail, parent: QWidget | None) -> FormDialog:
    # The customer already signed a settlement on this matter: proposed, for the handler
    # to confirm (desk finds it; the reason stays the handler's choice).
    from desk.app.money import Money
    proposal = Money.of_desk(desk).not_accept_proposal(case.case_no)
    reason, note = proposal or (None, "")
    fields = [Field("reason", N_("&Reason"), "choice", _choices(NotAcceptedReason), reason),
              Field("note", N_("&Details"), "text", default=note)]
    return FormDialog(_("Not accepted: {case_no}").format(case_no=case.case_no), fields,
                      lambda v: desk.not_accept(case.case_no, v["reason"], v["note"]), parent,
                      intro=note)


def close_dialog(desk: Desk, case: CaseDetail, parent: QWidget | None) -> FormDialog:
    fields = [Field("recipient", N_("&Received and signed by"),
                    default=case.recipient_name or "")]
    intro = (_("A cost was paid: record who received it and signed for it.")
             if case.cost_claimed else "")
    return FormDialog(_("Close {case_no}").format(case_no=case.case_no), fields,
                      lambda v: desk.close(case.case_no, v["recipient"] or None), parent,
                      intro=intro)


def void_dialog(desk: Desk, case: CaseDetail, parent: QWidget | None) -> FormDialog:
    return FormDialog(_("Void {case_no}").format(case_no=case.case_no),
                      [Field("reason", N_("&Why it was entered by mistake"), "text")],
                      lambda v: desk.void(case.case_no, v["reason"]), parent,
                      intro=_("The case is kept and its number stays used, like a spoilt "
                              "sheet in a numbered pad."))


def follow_up_dialog(desk: Desk, case: CaseDetail, parent: QWidget | None) -> FormDialog:
    fields = [Field("reached", N_("Customer &reached"), "check", default=True),
              Field("satisfaction", N_("&Satisfaction, 1 (very unhappy) to 5"), "number",
                    default=0),
              Field("comment", N_("&Comment"), "text"),
              Field("text_sent", N_("Text &message sent"), "check")]
    return FormDialog(_("Follow-up call: {case_no}").format(case_no=case.case_no), fields,
                      lambda v: desk.add_follow_up(case.case_no, reached=v["reached"],
                                                   satisfaction=v["satisfaction"],
                                                   comment=v["comment"],
                                                   text_sent=v["text_sent"]), parent)


def duplicate_dialog(desk: Desk, case: CaseDetail, parent: QWidget | None) -> FormDialog:
    fields = [Field("primary", N_("&Case that handles this matter")),
              Field("reason", N_("&Reason"))]
    return FormDialog(_("Link {case_no} as a duplicate").format(case_no=case.case_no), fields,
                      lambda v: desk.link_duplicate(case.case_no, v["primary"].strip().upper(),
                                                    v["reason"]), parent)


def pause_dialog(desk: Desk, case: CaseDetail, parent: QWidget | None) -> FormDialog:
    care = Aftercare.of_desk(desk)
    fields = [Field("waiting_on", N_("&Waiting on"), "choice",
                    tuple((key, lambda m=msgid: _(m)) for key, msgid in WAITING_ON.items()),
                    "customer"),
              Field("reason", N_("Wha&t must come back"), "text", lines=4)]
    intro = _("While the case waits only the statutory limit runs: resolve by {statutory}. "
              "The time left now is given back on resume.").format(
        statutory=format_datetime(case.statutory_due, desk.policy.tz))
    return FormDialog(_("Pause the clock: {case_no}").format(case_no=case.case_no), fields,
                      lambda v: care.pause(case.case_no, v["waiting_on"], v["reason"]), parent,
                      intro=intro)


def resume_dialog(desk: Desk, case: CaseDetail, parent: QWidget | None) -> FormDialog:
    care = Aftercare.of_desk(desk)
    running = [p for p in care.pauses(case.case_no) if p.ended_at is None]
    intro = _("The clock starts again with {left} left, never past the statutory limit.").format(
        left=running[-1].remaining_label) if running else ""
    return FormDialog(_("Resume the clock: {case_no}").format(case_no=case.case_no),
                      [Field("note", N_("&Note (what came back)"), "text", lines=3)],
                      lambda v: care.resume(case.case_no, v["note"]), parent, intro=intro)


def chargeback_dialog(desk: Desk, case: CaseDetail, parent: QWidget | None) -> FormDialog:
    care = Aftercare.of_desk(desk)
    room = care.chargeback_room(case.case_no)
    fields = [Field("tenant", N_("Tenant"), "fixed", default=case.subject_name or "—"),
              Field("amount", N_("&Amount to recover")),
              Field("reason", N_("&Why the tenant pays"), "text", lines=3)]
    intro = _("The mall paid compensation on this case; up to {room} can still be charged "
              "back to the tenant.").format(room=format_money(room, desk.policy.currency))
    return FormDialog(_("Chargeback: {case_no}").format(case_no=case.case_no), fields,
                      lambda v: care.record_chargeback(case.case_no, v["amount"], v["reason"]),
                      parent, intro=intro)


def settlement_dialog(desk: Desk, case: CaseDetail, parent: QWidget | None):
    from ui.signature import SettlementDialog
    return SettlementDialog(desk, case, parent)


def finding_dialog(desk: Desk, case: CaseDetail, parent: QWidget | None) -> FormDialog:
    from desk.app.money import Money
    money = Money.of_desk(desk)
    current = case.finding
    fields = [Field("staff", N_("&Staff ID of the person at fault"),
                    default=current.staff_no if current else (case.subject_staff_no or "")),
              Field("finding", N_("What the &supervisor found"), "text", lines=4,
                    default=current.finding if current else "")]

    def submit(values: dict) -> CaseDetail:
        money.record_finding(case.case_no, values["staff"].strip(), values["finding"])
        return desk.detail(case.case_no)
    return FormDialog(_("Staff member at fault: {case_no}").format(case_no=case.case_no),
                      fields, submit, parent,
                      intro=_("Recorded on the case and in the audit log; the weekly table "
                              "counts attitude complaints per staff member."))


def contact_case_dialog(desk: Desk, case: CaseDetail, parent: QWidget | None) -> FormDialog:
    from ui.promises import Promises, contact_dialog
    return contact_dialog(Promises.of_desk(desk), case.case_no, desk.policy.timezone, parent,
                          channel=case.contact_channel)


ACTIONS: dict[str, tuple[str, Callable]] = {
    "resolve": (N_("&Resolve…"), resolve_dialog),
    "escalate": (N_("&Escalate…"), escalate_dialog),
    "not_accept": (N_("&Not accepted…"), not_accept_dialog),
    "close": (N_("C&lose…"), close_dialog),
    "follow_up": (N_("Follo&w-up call…"), follow_up_dialog),
    "void": (N_("Voi&d…"), void_dialog),
    "duplicate": (N_("L&ink duplicate…"), duplicate_dialog),
    "pause": (N_("Pa&use clock…"), pause_dialog),
    "resume": (N_("Resu&me clock…"), resume_dialog),
    "contact": (N_("Con&tact the customer…"), contact_case_dialog),
    "chargeback": (N_("Record char&geback…"), chargeback_dialog),
    "settlement": (N_("Settlement &agreement…"), settlement_dialog),
    "finding": (N_("Staff f&ound at fault…"), finding_dialog),
}


def run_action(key: str, desk: Desk, case: CaseDetail, parent: QWidget | None
               ) -> CaseDetail | None:
    """Open the action's dialog; the updated case when it was carried out."""
    dialog = ACTIONS[key][1](desk, case, parent)
    with reported(parent):
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.result_value
    return None
