"""The closed vocabularies of a complaint, each value with a translatable label."""
from __future__ import annotations

from enum import StrEnum

from desk.i18n import N_, _


class Labelled(StrEnum):
    """A string enum whose members carry a label for screens and forms."""

    @property
    def label(self) -> str:
        return _(self._labels()[self.value])

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return cls.LABELS  # type: ignore[attr-defined]

    @classmethod
    def parse(cls, value: object) -> "Labelled | None":
        try:
            return cls(value)
        except ValueError:
            return None


class Channel(Labelled):
    COUNTER = "counter"
    PHONE = "phone"
    FAX = "fax"
    LETTER = "letter"
    EMAIL = "email"
    CARD = "card"


Channel.LABELS = {"counter": N_("At the counter"), "phone": N_("Phone"), "fax": N_("Fax"),
                  "letter": N_("Letter"), "email": N_("E-mail"), "card": N_("Feedback card")}


class ContactChannel(Labelled):
    """How the customer wants to hear from us (and how a contact with them was made)."""

    PHONE = "phone"
    SMS = "sms"
    EMAIL = "email"
    LETTER = "letter"
    IN_PERSON = "in_person"


ContactChannel.LABELS = {"phone": N_("Phone call"), "sms": N_("Text message (SMS)"),
                         "email": N_("E-mail"), "letter": N_("Letter"),
                         "in_person": N_("In person at the desk")}


def channel_label(key: str | None) -> str:
    """A contact channel's label; a dash when none was chosen."""
    member = ContactChannel.parse(key)
    return member.label if member is not None else "—"


class SubjectKind(Labelled):
    TENANT = "tenant"
    STAFF = "staff"
    FACILITY = "facility"
    CAMPAIGN = "campaign"
    PRODUCT = "product"
    CHARGE = "charge"


SubjectKind.LABELS = {"tenant": N_("Tenant shop or vendor"), "staff": N_("Staff member"),
                      "facility": N_("Facility"), "campaign": N_("Campaign, gift or lottery"),
                      "product": N_("Product"), "charge": N_("Charge")}


class Motive(Labelled):
    VENT = "vent"
    RESPECT = "respect"
    COMPENSATION = "compensation"


Motive.LABELS = {"vent": N_("Wants to be heard"), "respect": N_("Wants respect"),
                 "compensation": N_("Wants compensation")}


class Level(Labelled):
    PRELIMINARY = "preliminary"
    LEVEL1 = "level1"
    LEVEL2 = "level2"

    @property
    def order(self) -> int:
        return list(Level).index(self)


Level.LABELS = {"preliminary": N_("Preliminary"), "level1": N_("Level 1"), "level2": N_("Level 2")}


class Validity(Labelled):
    UNDETERMINED = "undetermined"
    FOUNDED = "founded"
    UNFOUNDED = "unfounded"


Validity.LABELS = {"undetermined": N_("Undetermined"), "founded": N_("Founded"),
                   "unfounded": N_("Unfounded")}


class Status(Labelled):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    AWAITING_APPROVAL = "awaiting_approval"
    WAITING = "waiting"
    RESOLVED = "resolved"
    CLOSED = "closed"
    NOT_ACCEPTED = "not_accepted"
    VOIDED = "voided"


Status.LABELS = {"open": N_("Open"), "in_progress": N_("In progress"),
                 "awaiting_approval": N_("Awaiting approval"),
                 "waiting": N_("Waiting on others"), "resolved": N_("Resolved"),
                 "closed": N_("Closed"), "not_accepted": N_("Not accepted"),
                 "voided": N_("Voided")}


class Step(Labelled):
    LISTEN = "listen"
    THANK = "thank"
    APOLOGISE = "apologise"
    COMMIT = "commit"
    PROPOSE = "propose"
    CONFIRM = "confirm"

    @property
    def number(self) -> int:
        return list(Step).index(self) + 1


Step.LABELS = {"listen": N_("Listen"), "thank": N_("Thank"), "apologise": N_("Apologise"),
               "commit": N_("Commit"), "propose": N_("Propose"), "confirm": N_("Confirm")}


class Approval(Labelled):
    NOT_NEEDED = "not_needed"
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


Approval.LABELS = {"not_needed": N_("Within authority"), "pending": N_("Awaiting approval"),
                   "approved": N_("Approved"), "refused": N_("Approval refused")}


class Answer(Labelled):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REFUSED = "refused"


Answer.LABELS = {"pending": N_("No answer yet"), "accepted": N_("Accepted"),
                 "refused": N_("Refused")}


class NotAcceptedReason(Labelled):
    SETTLED = "settled"
    CLOSED_ELSEWHERE = "closed_elsewhere"
    MEDIATED = "mediated"
    OTHER_LAW = "other_law"


NotAcceptedReason.LABELS = {
    "settled": N_("Already settled by an executed agreement"),
    "closed_elsewhere": N_("Closed by a court, arbitration body or consumer organisation"),
    "mediated": N_("A mediation opinion was already issued"),
    "other_law": N_("Governed by other law"),
}

class ContentClass(Labelled):
    """What the complaint is about, in the procedures' first classification."""

    PRICE = "price"
    QUALITY = "quality"
    FUNCTION = "function"
    TECHNICAL = "technical"
    SERVICE = "service"


ContentClass.LABELS = {"price": N_("Price"), "quality": N_("Quality"),
                       "function": N_("Function"), "technical": N_("Technical"),
                       "service": N_("Service")}


class Degree(Labelled):
    """How the customer puts it, in the procedures' second classification."""

    CONSTRUCTIVE = "constructive"
    CRITICAL = "critical"
    ACCUSATORY = "accusatory"

    @property
    def order(self) -> int:
        return list(Degree).index(self)


Degree.LABELS = {"constructive": N_("Constructive"), "critical": N_("Critical"),
                 "accusatory": N_("Accusatory")}


class Privilege(StrEnum):
    """What a role may do besides granting compensation (``privileges`` in the policy);
    checked only through ``desk.privileges.require``."""

    CLOSE = "close"                  # close and void others' cases, sign off
    REVIEW = "review"                # review a day, corrective work, day packs
    PERSONAL_DATA = "personal_data"  # see phone, member number and address in full
    REPORTS = "reports"              # day and week statistics
    REOPEN_DAY = "reopen_day"        # lift a day's close
    ADMIN = "admin"                  # staff, backups, purge, settings
    TOP = "top"                      # the top role: cash over the threshold, past a bottom line
    IMPORT_HISTORY = "import_history"  # bring in another system's cases as migrated history
    POLICY = "policy"                # replace the store's policy (desk policy apply)
    FINANCE = "finance"              # review accepted costs (approve / return) and pay them
    LEGAL_REVIEW = "legal_review"    # the second review of written replies (policy [replies])
    WATCH_LIST = "watch_list"        # see the batch complaints on the watch-list
    DECIDE_BATCHES = "decide_batches"  # confirm or dismiss a batch complaint


# Labels of policy keys (kinds, roles, categories, units) live here so they are extracted and
# translated once; a site that adds its own key sees the key itself until it is translated.
POLICY_LABELS = {
    "exchange": N_("Exchange"), "free_parking": N_("Free parking"),
    "small_gift": N_("Small gift"), "waive_service": N_("Waive a service fee"),
    "discount": N_("Discount"), "price_reduction": N_("Price reduction"),
    "free_tickets": N_("Free tickets"), "voucher": N_("Voucher"),
    "vip_card": N_("Discount or VIP card"), "repair": N_("Repair"),
    "refund": N_("Refund with receipt"), "overcharge_refund": N_("Double refund of an overcharge"),
    "cash": N_("Cash for lost or damaged property"),
    "clerk": N_("Clerk"), "supervisor": N_("Desk supervisor"),
    "store_manager": N_("Store / floor manager"), "operations_manager": N_("Operations manager"),
    "general_manager": N_("General manager"),
    "goods_rights": N_("Goods: exchange, return, quality"),
    "service_attitude": N_("Service attitude"), "facility": N_("Mall equipment or facility"),
    "campaign": N_("Campaign, gift or lottery"), "tenant": N_("Tenant or vendor"),
    "overcharge": N_("Overcharge"), "lost_property": N_("Lost or damaged property"),
    "safety_legal": N_("Safety or legal liability"),
    "service_desk": N_("Service desk"), "engineering": N_("Engineering"),
    "planning": N_("Planning"), "floor_management": N_("Floor management"),
    "finance": N_("Finance"), "security": N_("Security"), "legal": N_("Legal"),
    "audit": N_("Audit office"),
    "none": N_("Not a member"), "member": N_("Member"), "vip": N_("VIP"),
}


def policy_label(key: str) -> str:
    label = POLICY_LABELS.get(key)
    return _(label) if label else key
