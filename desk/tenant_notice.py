"""What the result notice to a tenant says about one case: only for a complaint about a
tenant shop, issued by a supervisor or higher; rendered by ``desk.forms.tenant_notice``."""
from __future__ import annotations

from datetime import datetime

from desk import money
from desk.corrective import chargebacks
from desk.enums import Privilege, SubjectKind
from desk.errors import N_, ValidationError
from desk.forms.tenant_notice import NoticeData
from desk.i18n import LOCALES
from desk.model import utcnow
from desk.policy import Policy
from desk.privileges import require
from desk.queries import load_case
from desk.services.auth import Actor
from desk.services.settings import get_settings


def notice_data(session, policy: Policy, case_no: str, actor: Actor, *,
                locale: str | None = None, now: datetime | None = None) -> NoticeData:
    """What the notice says about ``case_no``; only for a complaint about a tenant, and
    issued by a role that handles chargebacks."""
    require(policy, actor, Privilege.REVIEW, N_("a notice to a tenant is issued by a "
                                                "supervisor or higher"))
    case = load_case(session, case_no)
    if case.subject_kind not in (SubjectKind.TENANT, SubjectKind.CHARGE) or not case.subject_name:
        raise ValidationError(N_("a result notice goes to a tenant; case {value} is not about "
                                 "a tenant shop"), field="subject.kind", value=case.case_no)
    locale = locale or case.text_locale
    if locale not in LOCALES:
        raise ValidationError(N_("{value} is not one of: {allowed}"), field="locale",
                              value=str(locale)[:10], allowed=", ".join(LOCALES))
    now = now or utcnow()
    return NoticeData(
        case_no=case.case_no, locale=locale,
        mall_name=get_settings(session).mall_name or policy.mall_name, tenant=case.subject_name,
        received=case.received_at.astimezone(policy.tz).date(), complaint=case.complaint,
        validity=case.validity, handling_result=case.handling_result,
        paid=tuple((o.kind, o.amount) for o in case.offers if money.is_paid(o)),
        tasks=tuple((a.unit, a.task) for a in case.assists),
        charged_back=tuple((c.amount, c.reason, c.settled_at is not None)
                           for c in chargebacks(session, case_no=case.case_no)),
        issued_by=actor.name, issued_on=now.astimezone(policy.tz).date())
