"""The customer's preferred contact channel and consent: which details each channel needs,
checked the same way at intake, in a case document and when a contact is logged."""
from __future__ import annotations

import re

from desk.enums import ContactChannel
from desk.errors import N_, ValidationError
from desk.services import validate

_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")

# What each channel reaches the customer through: (the case's column, its document field).
NEEDS = {ContactChannel.PHONE: ("customer_phone", "customer.phone"),
         ContactChannel.SMS: ("customer_phone", "customer.phone"),
         ContactChannel.EMAIL: ("customer_email", "contact.email"),
         ContactChannel.LETTER: ("customer_address", "customer.address")}
NEED_MESSAGES = {
    "customer_phone": N_("a phone call or text message needs the customer's phone number"),
    "customer_email": N_("an e-mail reply needs the customer's e-mail address"),
    "customer_address": N_("a reply by letter needs the customer's address"),
}


def email(value: object, field: str = "contact.email") -> str | None:
    result = validate.optional_text(value, field, max_len=200)
    if result and not _EMAIL.match(result):
        raise ValidationError(N_("{value} is not an e-mail address"), field=field,
                              value=result[:60])
    return result


def consent(value: object, field: str = "contact.consent") -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise ValidationError(N_("must be true or false"), field=field)


def check_preference(values: dict, channel: object, agreed: object) -> dict:
    """The preference fields of a case, checked against its contact details in ``values``
    (``customer_phone``, ``customer_email``, ``customer_address``). No channel is fine (the
    desk uses the phone); a channel other than in person needs the customer's consent."""
    agreed = consent(agreed)
    if channel in (None, ""):
        return {"contact_channel": None, "contact_consent": agreed}
    key = validate.choice(ContactChannel, channel, "contact.channel")
    member = ContactChannel(key)
    needs = NEEDS.get(member)
    if needs and not values.get(needs[0]):
        raise ValidationError(NEED_MESSAGES[needs[0]], field=needs[1])
    if member is not ContactChannel.IN_PERSON and agreed is not True:
        raise ValidationError(N_("the customer has not agreed to be contacted; ask them, or "
                                 "choose \"in person at the desk\""), field="contact.consent")
    return {"contact_channel": key, "contact_consent": agreed}


def check_reachable(case, channel: str, field: str = "channel") -> str:
    """A contact about to be logged on ``case`` by ``channel``: a known channel, the detail
    it needs on the case, and no contact the customer refused (in person is always fine)."""
    key = validate.choice(ContactChannel, channel, field)
    member = ContactChannel(key)
    needs = NEEDS.get(member)
    if needs and not getattr(case, needs[0]):
        raise ValidationError(NEED_MESSAGES[needs[0]], field=field)
    if refused(case, key):
        raise ValidationError(N_("the customer did not agree to be contacted; only a talk in "
                                 "person at the desk can be logged"), field=field)
    return key


def refused(case, channel: str) -> bool:
    """Whether reaching the customer of ``case`` by ``channel`` is a contact they refused
    (a talk in person at the desk never is); a written reply asks this too."""
    return channel != ContactChannel.IN_PERSON.value and case.contact_consent is False


__all__ = ["NEEDS", "check_preference", "check_reachable", "consent", "email", "refused"]
