"""The printed reply letter: the approved text exactly as approved, on the mall's letter
paper, with who approved it (and reviewed it, for a level-2 case) at the foot."""
from __future__ import annotations

from reportlab.platypus import Spacer

from desk.forms.letterhead import Letterhead, letter_pdf, para
from desk.i18n import _, format_datetime, using_locale
from desk.policy import Policy


def render_letter(case, reply, policy: Policy, *, mall_name: str | None = None) -> bytes:
    """``case`` and ``reply`` as the store holds them (``replies.releasable`` checked first
    by the caller that records the print)."""
    with using_locale(reply.locale):
        head = Letterhead(mall_name or policy.mall_name, reply.subject or _("Reply"),
                          _("Case {case} · reply {seq}").format(case=case.case_no,
                                                                seq=reply.seq))
        approved = [_("Approved by {name}, {time}").format(
            name=reply.approved_by.name, time=format_datetime(reply.approved_at, policy.tz))]
        if reply.reviewed_by is not None:
            approved.append(_("Second review by {name}, {time}").format(
                name=reply.reviewed_by.name,
                time=format_datetime(reply.reviewed_at, policy.tz)))

        def story(font, styles):
            parts = [para(font, reply.recipient, styles["body"]), Spacer(1, 10)]
            if reply.subject:
                parts += [para(font, reply.subject, styles["title"]), Spacer(1, 4)]
            for block in reply.body.split("\n\n"):
                parts += [para(font, block, styles["body"]), Spacer(1, 8)]
            parts += [Spacer(1, 18), para(font, "\n".join(approved), styles["small"])]
            return parts

        return letter_pdf(policy, head, story)
