"""What the intake form suggests and warns about before a complaint is saved: the units a
case can be given to, what a category usually means (level, unit, what it is about), and
whether the chosen handler is named in the complaint. The form shows these; saving checks
the same rules again in ``desk.services.intake``."""
from __future__ import annotations

from dataclasses import dataclass

from desk.enums import SubjectKind
from desk.policy import Policy

# What a category usually concerns: a starting point the clerk can change.
SUBJECT_FOR_CATEGORY = {"goods_rights": SubjectKind.PRODUCT, "service_attitude": SubjectKind.STAFF,
                        "facility": SubjectKind.FACILITY, "campaign": SubjectKind.CAMPAIGN,
                        "tenant": SubjectKind.TENANT, "overcharge": SubjectKind.CHARGE,
                        "lost_property": SubjectKind.FACILITY,
                        "safety_legal": SubjectKind.FACILITY}
# Units every mall has, offered besides those the policy's categories name.
KNOWN_UNITS = ("service_desk", "engineering", "planning", "floor_management", "finance",
               "security", "legal", "audit")


@dataclass(frozen=True)
class Suggestion:
    level: str
    unit: str
    subject_kind: str


def units(policy: Policy) -> list[str]:
    """The responsible units to choose from: the policy's first, in its order."""
    return list(dict.fromkeys([c.unit for c in policy.categories.values()] + list(KNOWN_UNITS)))


def suggestion(policy: Policy, category: str | None) -> Suggestion | None:
    """The usual level, unit and subject of a category; None for an unknown one."""
    spec = policy.categories.get(category) if category else None
    if spec is None:
        return None
    kind = SUBJECT_FOR_CATEGORY.get(category, SubjectKind.PRODUCT)
    return Suggestion(spec.level, spec.unit, kind.value)


def handler_is_named(subject_staff: str | None, handler: str | None, recorder: str | None) -> bool:
    """Whether the person who would handle the case is the staff member it is about
    (recusal). Without a handler chosen, whoever records it handles it."""
    return bool(subject_staff) and subject_staff == (handler or recorder)


__all__ = ["KNOWN_UNITS", "SUBJECT_FOR_CATEGORY", "Suggestion", "handler_is_named",
           "suggestion", "units"]
