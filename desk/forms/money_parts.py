"""The form's money sections and the customer's signature as a picture on paper: what
finance did with each cost, the signed settlement; the agreement draws the signature too."""
from __future__ import annotations

import io

from reportlab.lib.utils import ImageReader
from reportlab.platypus import Image, Spacer

from desk.costs import PaidHow
from desk.costs import state_label as cost_state_label
from desk.i18n import _

DASH = "—"


def signature_flowable(data: bytes | None, width: float, height: float) -> Image | None:
    """The signature scaled into ``width`` x ``height`` (None: nothing yet, or a scan that
    is not a picture, such as a PDF: the paper itself is what was kept)."""
    if not data:
        return None
    try:
        w, h = ImageReader(io.BytesIO(data)).getSize()
    except Exception:   # ReportLab raises several kinds for bytes that are no image
        return None
    scale = min(width / w, height / h)
    return Image(io.BytesIO(data), width=w * scale, height=h * scale)


def paid_how_label(how: str) -> str:
    parsed = PaidHow.parse(how)
    return parsed.label if parsed else how


class MoneySections:
    """Mixed into the form's ``StoryBuilder`` (``self.d``, ``self.ctx``, ``self.p``,
    ``self.when``, ``self.section``)."""

    def paid_details(self, o) -> str:
        """What was given, and where finance is with it (review, payment, signature)."""
        lines = [o.description or DASH]
        cost = o.cost
        if cost is None:
            return lines[0]
        state = cost_state_label(cost.state)
        if cost.paid_how:
            state += " — " + ", ".join(filter(None, [
                paid_how_label(cost.paid_how), cost.paid_by, self.when(cost.paid_at),
                " ".join(cost.paid_refs)]))
        lines.append(_("Finance: {state}").format(state=state))
        if cost.recipient:
            lines.append(_("Signed for by {name} at {time}").format(
                name=cost.recipient, time=self.when(cost.signed_at)))
        if cost.evidence:
            lines.append(_("Overcharge verified by {name}: {evidence}").format(
                name=cost.verified_by, evidence=cost.evidence))
        if cost.returned_reason:
            lines.append(_("Returned: {reason}").format(reason=cost.returned_reason))
        return "\n".join(lines)

    def settlement(self) -> list:
        """The settlement the customer signed, with the signature when drawn on screen."""
        s = self.d.settlement
        if s is None:
            return []
        how = (_("signed on the screen") if s.method == "screen"
               else _("signed on paper; the scan is kept with the case"))
        text = _("Signed by {name} at {time}, {how}").format(
            name=s.signer, time=self.when(s.signed_at), how=how)
        picture = signature_flowable(self.ctx.signature, self.ctx.width * 0.35, 40)
        rows = [[self.p(text), picture or ""]]
        return [self.section(_("Settlement agreement"), rows, [0.6, 0.4]), Spacer(0, 3)]
