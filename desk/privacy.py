"""Customer data on screens and paper: masking for roles without the ``personal_data``
privilege (anonymising old cases is ``desk.retention``)."""
from __future__ import annotations

import dataclasses

from desk.enums import Privilege
from desk.policy import Policy
from desk.privileges import holds

PRIVILEGE = Privilege.PERSONAL_DATA
MASK = "*"


def can_see_personal(policy: Policy, actor) -> bool:
    """Whether ``actor`` (an ``Actor``, or None for nobody signed in) sees phone numbers,
    member numbers and addresses in full."""
    return holds(policy, actor, PRIVILEGE)


def mask_phone(phone: str | None) -> str | None:
    """``0912-345-678`` -> ``0912-***-678``: the first four and last three digits stay (fewer
    for short numbers, always at least three hidden); separators stay where they were."""
    if not phone:
        return phone
    digits = sum(ch.isdigit() for ch in phone)
    tail = 3 if digits >= 9 else max(0, min(3, digits - 4))
    head = max(0, min(4, digits - tail - 3))
    out, seen = [], 0
    for ch in phone:
        if ch.isdigit():
            seen += 1
            out.append(ch if seen <= head or seen > digits - tail else MASK)
        else:
            out.append(ch)
    return "".join(out)


def mask_member(member: str | None) -> str | None:
    """``M12345678`` -> ``M1*****78``; short numbers are hidden entirely."""
    if not member:
        return member
    if len(member) <= 4:
        return MASK * len(member)
    keep = 2 if len(member) >= 7 else 1
    return member[:keep] + MASK * (len(member) - 2 * keep) + member[-keep:]


def mask_address(address: str | None) -> str | None:
    """Only the first six characters (city and district) stay."""
    if not address:
        return address
    return address[:6] + MASK * 3 if len(address) > 6 else MASK * 3


def mask_email(email: str | None) -> str | None:
    """``mei.chen@example.com`` -> ``m***@example.com``: the domain says which provider."""
    if not email:
        return email
    name, at, domain = email.partition("@")
    return (name[:1] + MASK * 3 + at + domain) if at else MASK * 3


def mask_recipient(channel: str | None, recipient: str | None) -> str | None:
    """Where a written reply goes, as a role without the privilege may see it: a mobile
    number, a postal address or an e-mail address masked as above."""
    if not recipient or not isinstance(recipient, str):
        return recipient
    if channel == "sms":
        return mask_phone(recipient)
    if channel == "letter":
        return mask_address(recipient)
    return mask_email(recipient)


def mask(kind: str, value):
    if not isinstance(value, str):
        return value
    return {"phone": mask_phone, "member": mask_member, "address": mask_address,
            "email": mask_email}[kind](value)


_ROW_FIELDS = {"customer_phone": mask_phone, "customer_member_no": mask_member,
               "customer_address": mask_address, "customer_email": mask_email}


def for_viewer(row, policy: Policy, actor):
    """A frozen row (``CaseRow``, ``CaseDetail``, ...) as ``actor`` may see it: unchanged with
    the privilege, otherwise with phone, member number and address masked."""
    if can_see_personal(policy, actor):
        return row
    names = {f.name for f in dataclasses.fields(row)}
    changes = {name: fn(getattr(row, name)) for name, fn in _ROW_FIELDS.items() if name in names}
    return dataclasses.replace(row, **changes) if changes else row


def rows_for_viewer(rows, policy: Policy, actor) -> list:
    if can_see_personal(policy, actor):
        return list(rows)
    return [for_viewer(r, policy, actor) for r in rows]


_DOC_FIELDS = {"phone": mask_phone, "member_no": mask_member, "address": mask_address}


def mask_document(doc: dict) -> None:
    """Mask the customer block of a case document (``desk.casedoc``) in place, and where
    its written replies went (the customer's phone, e-mail or address)."""
    customer = doc.get("customer")
    if isinstance(customer, dict):
        for key, fn in _DOC_FIELDS.items():
            if key in customer:
                customer[key] = mask(key.removesuffix("_no"), customer[key])
    for reply in doc.get("replies") or ():
        if isinstance(reply, dict) and "recipient" in reply:
            reply["recipient"] = mask_recipient(reply.get("channel"), reply["recipient"])
    contact = doc.get("contact")
    if isinstance(contact, dict) and "email" in contact:
        contact["email"] = mask_email(contact["email"])


def document_mask(policy: Policy, actor):
    """The ``mask`` argument of ``casedoc.export_case`` for ``actor``: None with the
    privilege (the document goes out whole), else ``mask_document``."""
    return None if can_see_personal(policy, actor) else mask_document
