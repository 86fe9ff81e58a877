"""Written replies, the outbox and the sending settings are audited like any row: a reply's
text, subject and recipient are personal (salted, purged with the case's), and the sealed
sending secrets (the SMTP password, the gateway's address and body, which often carry its
key) reach the log only as a fingerprint of their sealed text: that they changed, never what
they are."""
from __future__ import annotations

from desk.audit.log import ENTITY_LABELS, Audited, register
from desk.i18n import N_
from desk.replies_model import OutboxItem, Reply, ReplyTemplateSet, SendSettings

for _spec in (
        Audited("reply", Reply, "id", "case_id",
                frozenset({"recipient", "subject", "body", "decision_note"})),
        Audited("outbox", OutboxItem, "id", "case_id",
                frozenset({"recipient", "subject", "body", "last_error"})),
        Audited("send_settings", SendSettings, "key", secret=frozenset({"smtp_password", "sms_url", "sms_body"})),
        Audited("reply_templates", ReplyTemplateSet, "locale")):
    register(_spec)

ENTITY_LABELS.update({"reply": N_("written reply"), "outbox": N_("outbox message"),
                      "send_settings": N_("sending settings"),
                      "reply_templates": N_("reply templates")})
