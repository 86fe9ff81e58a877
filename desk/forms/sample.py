"""A made-up, fully worked case for the form's preview, its benchmark and the reviewed samples
in docs/forms/. Built in memory, so a site can test-print its font and paper without a store."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

from desk.views import CaseDetail, OfferView, StepView

_TEXT = {
    "zh_TW": {
        "customer": "林曉雯", "recorder": "陳美玲", "handler": "陳美玲", "supervisor": "林志明",
        "subject": "3樓 晨光鞋坊專櫃",
        "complaint": ("顧客於 11 月 20 日在 3 樓晨光鞋坊購買休閒鞋一雙（發票號碼 AB-12345678），"
                      "穿著兩天後鞋底脫膠。今日到專櫃要求退貨，櫃員表示已穿過不能退，態度不耐煩，"
                      "並稱「要退去找服務台」。顧客認為商品有瑕疵，專櫃推託責任，而且結帳時被多收了 200 元。"),
        "request": "退貨退款，並希望專櫃人員道歉；多收的金額要退還。",
        "notes": ["已完整複述顧客的不滿並確認。", "謝謝顧客告知，給我們改進的機會。",
                  "為鞋子品質與櫃員態度致歉。", "", "提出退貨加雙倍返還多收金額，顧客同意。",
                  "顧客表示滿意，兩天後回訪。"],
        "offers": ["原價退貨退款（附發票）", "多收 200 元，雙倍返還", "禮券 300 元致歉"],
        "result": ("經樓管與專櫃確認鞋底脫膠屬品質瑕疵，同意全額退貨退款；結帳金額核對後確認多收 200 元，"
                   "依收費誤差雙倍返還 400 元。另致贈禮券 300 元表達歉意，專櫃店長當面向顧客道歉。"),
        "assist": [("floor_management", "督導晨光鞋坊改善退換貨說明及服務態度，一週內回報。"),
                   ("finance", "核對 11/20 該筆交易金額並辦理雙倍返還。")],
    },
    "zh_CN": {
        "customer": "林晓雯", "recorder": "陈美玲", "handler": "陈美玲", "supervisor": "林志明",
        "subject": "3楼 晨光鞋坊专柜",
        "complaint": ("顾客于 11 月 20 日在 3 楼晨光鞋坊购买休闲鞋一双（发票号码 AB-12345678），"
                      "穿了两天后鞋底脱胶。今天到专柜要求退货，店员表示已穿过不能退，态度不耐烦，"
                      "并说“要退去找服务台”。顾客认为商品有瑕疵，专柜推卸责任，而且结账时被多收了 200 元。"),
        "request": "退货退款，并希望专柜人员道歉；多收的金额要退还。",
        "notes": ["已完整复述顾客的不满并确认。", "感谢顾客告知，给我们改进的机会。",
                  "为鞋子质量与店员态度致歉。", "", "提出退货加双倍返还多收金额，顾客同意。",
                  "顾客表示满意，两天后回访。"],
        "offers": ["原价退货退款（凭发票）", "多收 200 元，双倍返还", "礼券 300 元致歉"],
        "result": ("经楼管与专柜确认鞋底脱胶属质量瑕疵，同意全额退货退款；结账金额核对后确认多收 200 元，"
                   "按收费误差双倍返还 400 元。另赠送礼券 300 元表示歉意，专柜店长当面向顾客道歉。"),
        "assist": [("floor_management", "督导晨光鞋坊改进退换货说明及服务态度，一周内回报。"),
                   ("finance", "核对 11/20 该笔交易金额并办理双倍返还。")],
    },
    "en": {
        "customer": "Grace Lin", "recorder": "May Chen", "handler": "May Chen",
        "supervisor": "Jimmy Lin", "subject": "Morning Light Shoes (3F)",
        "complaint": ("On 20 November the customer bought a pair of casual shoes at Morning Light "
                      "Shoes (receipt AB-12345678); after two days of wear the sole came loose. "
                      "Today the shop assistant refused a return because the shoes had been worn, "
                      "was impatient, and told her to \"go to the service desk\". She also found "
                      "she had been charged 200 more than the marked price."),
        "request": "A refund, an apology from the shop, and the overcharge paid back.",
        "notes": ["Restated the complaint; the customer confirmed it.",
                  "Thanked her for telling us.", "Apologised for the shoes and the attitude.", "",
                  "Offered a refund and the double overcharge refund; agreed.",
                  "Customer satisfied; follow-up call in two days."],
        "offers": ["Refund at full price (receipt seen)", "Overcharge of 200, refunded twice",
                   "Voucher as an apology"],
        "result": ("Floor management and the shop agreed the loose sole is a defect: full refund. "
                   "The till record shows an overcharge of 200, refunded twice (400). A voucher "
                   "of 300 was given as an apology and the shop manager apologised in person."),
        "assist": [("floor_management", "Coach the shop on returns and courtesy; report in a week."),
                   ("finance", "Check the 20 November sale and pay the double refund.")],
    },
}


def sample_detail(locale: str = "zh_TW", *, long_text: bool = False) -> CaseDetail:
    """A resolved case with all six steps, three offers (one approved by a supervisor) and
    two assisting units. ``long_text`` repeats the complaint until it needs a second page."""
    t = _TEXT.get(locale, _TEXT["zh_TW"])
    at = datetime(2026, 11, 22, 2, 5, tzinfo=timezone.utc)
    step_names = ("listen", "thank", "apologise", "commit", "propose", "confirm")
    steps = tuple(StepView(name, at + timedelta(minutes=3 + 4 * i), t["recorder"], None,
                           t["notes"][i], at + timedelta(hours=2) if name == "commit" else None)
                  for i, name in enumerate(step_names))
    offers = (
        _offer(1, "refund", "1980", t["offers"][0], t["recorder"], at + timedelta(minutes=20)),
        _offer(2, "overcharge_refund", "400", t["offers"][1], t["recorder"],
               at + timedelta(minutes=22), charged=Decimal("2180"), due=Decimal("1980")),
        _offer(3, "voucher", "300", t["offers"][2], t["recorder"], at + timedelta(minutes=25),
               serials=("GV-0012031", "GV-0012032", "GV-0012033"), approver=t["supervisor"]),
    )
    complaint = t["complaint"] * (14 if long_text else 1)
    return CaseDetail(
        case_no="A-20261122-0007", desk="A", day=at.date(), received_at=at, channel="counter",
        recorder=t["recorder"], recorder_no="C001", handler=t["handler"], handler_no="C001",
        customer_name=t["customer"], customer_phone="0912-345-678", customer_member_no="M00231877",
        customer_address=None, subject_kind="tenant", subject_name=t["subject"],
        subject_staff=None, subject_staff_no=None, category="tenant", complaint=complaint,
        request=t["request"], motive="compensation", severity=2, level="level1",
        validity="founded", responsible_unit="floor_management", status="resolved",
        handling_result=t["result"], promised_reply_at=at + timedelta(hours=2),
        first_contact_at=at, first_contact_due=None, resolution_due=at + timedelta(hours=48),
        statutory_due=at + timedelta(days=15), follow_up_due=at + timedelta(days=2),
        resolved_at=at + timedelta(minutes=40), closed_at=None, recipient_name=t["customer"],
        recipient_signed_at=at + timedelta(minutes=42), police_report_no=None,
        not_accepted_reason=None, status_note=None, duplicate_of=None, text_locale=locale,
        version=9, assisting=tuple(t["assist"]), steps=steps, offers=offers, history=(),
        follow_ups=(), attachments=(), prints=(), content_class="quality", degree="critical",
        customer_tier="member")


def _offer(seq: int, kind: str, amount: str, description: str, by: str, at: datetime, *,
           charged: Decimal | None = None, due: Decimal | None = None,
           serials: tuple[str, ...] = (), approver: str | None = None) -> OfferView:
    return OfferView(
        seq=seq, kind=kind, amount=Decimal(amount), description=description, serials=serials,
        charged=charged, due=due, is_final=False, requested_by=by, requested_at=at,
        approval="approved" if approver else "not_needed", approver=approver,
        decided_at=at + timedelta(minutes=2) if approver else None, approval_note=None,
        answer="accepted", answered_at=at + timedelta(minutes=5), at_fault_staff=None)
