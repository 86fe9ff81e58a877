"""How the store sends: its settings (SMTP server; text messages through an HTTP gateway or
an e-mail-to-SMS address) and the one function that hands a message over.

The settings live in the store (``send_settings``), changed only by an administrator; the
password and the gateway's address and body (which often carry its key) are kept there
sealed with this PC's key (``desk.secret_box``), so the store file, its backups and the
audit log (a fingerprint of the sealed text) never hold them readable. Nothing here writes
to the store: ``desk.outbox`` records what happened.
"""
from __future__ import annotations

import json
import string
import urllib.parse
from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from desk.audit.log import LOG
from desk.audit.row_check import NO_ENTRY, changed_outside, logged_state
from desk.enums import Privilege
from desk.errors import N_, ValidationError
from desk.model import Setting, utcnow
from desk.policy import Policy
from desk.privileges import require
from desk.replies_model import SendSettings
from desk.secret_box import SecretUnavailable, is_sealed, scrub, seal, unseal
from desk.services import validate
from desk.services.auth import Actor
from desk.uow import bind_actor

KEY = "store"
SECURITY = ("none", "starttls", "ssl")
SMS_ROUTES = ("none", "http", "email")
DEMO_MARK = "demo_store"     # a setting the demo data writes: this store never sends
TIMEOUT = 20                 # seconds a server may take before the attempt counts as failed
SECRET = ("smtp_password", "sms_url", "sms_body")   # sealed in the store with this PC's key
ENTER_AGAIN = {   # what a store copied from another PC (or whose key was lost) asks for
    "smtp_password": N_("the send password must be entered again on this PC (it was saved "
                        "on another PC or this PC's key was lost): desk outbox settings "
                        "--smtp-password"),
    "sms_url": N_("the text-message gateway's address must be entered again on this PC (it "
                  "was saved on another PC or this PC's key was lost): desk outbox settings "
                  "--sms-url"),
    "sms_body": N_("the text-message gateway's body must be entered again on this PC (it "
                   "was saved on another PC or this PC's key was lost): desk outbox settings "
                   "--sms-body"),
}


class SendError(Exception):
    """The server refused or could not be reached; the text goes to the outbox row."""


@dataclass(frozen=True)
class SendConfig:
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_security: str = "starttls"
    smtp_user: str = ""
    smtp_password: str = ""
    sender: str = ""
    sms_route: str = "none"
    sms_url: str = ""
    sms_content_type: str = "application/json"
    sms_body: str = '{"to": "$to", "text": "$text"}'
    sms_email_domain: str = ""

    def shown(self, unopened: tuple[str, ...] = ()) -> dict:
        """For display: the password only as whether one is set; a sealed setting this PC
        cannot open says it must be entered again."""
        from desk.i18n import _
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["smtp_password"] = "********" if self.smtp_password else ""
        for name in unopened:
            out[name] = _(ENTER_AGAIN[name])
        return out

    def can_send(self, channel: str) -> bool:
        if channel == "email":
            return bool(self.smtp_host and self.sender)
        if channel == "sms":
            return (self.sms_route == "http" and bool(self.sms_url)) or (
                self.sms_route == "email" and bool(self.sms_email_domain and self.smtp_host
                                                   and self.sender))
        return False


@dataclass(frozen=True)
class Message:
    """What one outbox row hands to the transport."""

    channel: str
    recipient: str
    subject: str
    body: str


def is_demo_store(session: Session) -> bool:
    """Marked by the demo data, or ever marked: the program never removes the mark, so a
    mark deleted in the file itself still stands in the audit log."""
    if session.scalar(select(exists().where(Setting.key == DEMO_MARK))):
        return True
    return bool(session.scalar(select(exists().where(LOG.c.entity == "setting",
                                                     LOG.c.entity_key == DEMO_MARK))))


def opened_config(session: Session) -> tuple[SendConfig, tuple[str, ...]]:
    """The settings with their sealed values opened, and the sealed ones this PC cannot
    open (left empty: a store copied from another PC, or this PC's key lost)."""
    row = session.get(SendSettings, KEY)
    if row is None:
        return SendConfig(), ()
    values, unopened = {}, []
    for f in fields(SendConfig):
        value = getattr(row, f.name)
        if f.name in SECRET:
            try:
                value = unseal(value)
            except SecretUnavailable:
                unopened.append(f.name)
                continue
        values[f.name] = value
    return SendConfig(**values), tuple(unopened)


def sending_config(session: Session) -> SendConfig:
    """The settings messages are sent with, refused when their row was written outside the
    program (a server or gateway swapped in the file would receive the password and every
    customer's message), or when a sealed one cannot be opened on this PC."""
    row = session.get(SendSettings, KEY)
    if row is not None and changed_outside(session, row):
        raise ValidationError(N_("the store's sending settings were changed outside Complaint "
                                 "Desk; nothing is sent until an administrator sets them again "
                                 "(desk outbox settings)"), field="settings")
    config, unopened = opened_config(session)
    if unopened:
        raise ValidationError(ENTER_AGAIN[unopened[0]], field=unopened[0])
    return config


def _trusted_row(session: Session) -> tuple[dict, dict]:
    """What an administrator's change starts from: the plain settings as the program last
    wrote them (not a value written into the file itself), and the sealed ones as stored
    (one changed in the file must be given again)."""
    row = session.get(SendSettings, KEY)
    changed = changed_outside(session, row) if row is not None else NO_ENTRY
    if changed == NO_ENTRY:
        return {}, {}
    logged = ({f.name: getattr(row, f.name) for f in fields(SendConfig)} if not changed
              else logged_state(session, row) or {})
    plain = {f.name: logged[f.name] for f in fields(SendConfig)
             if f.name in logged and f.name not in SECRET}
    sealed = {name: getattr(row, name) for name in SECRET if name not in changed}
    return plain, {name: stored if is_sealed(stored) or not stored else seal(stored)
                   for name, stored in sealed.items()}   # plain text of an old store sealed


def save_config(session: Session, policy: Policy, actor: Actor, *,
                now: datetime | None = None, **values: object) -> SendConfig:
    """Change how the store sends (an administrator); every value is checked first, the
    secret ones sealed with this PC's key."""
    bind_actor(session, actor)
    require(policy, actor, Privilege.ADMIN, N_("only an administrator may change how the "
                                               "store sends messages"), field="staff_id")
    checked = _checked(values)
    plain, sealed = _trusted_row(session)
    row = session.get(SendSettings, KEY)
    if row is None:
        row = SendSettings(key=KEY)
        session.add(row)
    defaults = SendConfig()
    for f in fields(SendConfig):
        if f.name in checked:
            value = seal(checked[f.name]) if f.name in SECRET else checked[f.name]
        elif f.name in SECRET:
            value = sealed[f.name] if f.name in sealed else seal(getattr(defaults, f.name))
        else:
            value = plain.get(f.name, getattr(defaults, f.name))
        setattr(row, f.name, value)
    row.updated_at = now or utcnow()
    session.flush()
    return opened_config(session)[0]


def _checked(values: dict) -> dict:
    known = {f.name for f in fields(SendConfig)}
    out: dict = {}
    for key, value in values.items():
        if key not in known:
            raise ValidationError(N_("unknown field {value}"), field="settings",
                                  value=str(key)[:40])
        if value is None:
            continue
        if key == "smtp_port":
            try:
                port = int(str(value))
            except ValueError:
                port = 0
            if not 0 < port < 65536:
                raise ValidationError(N_("{value} is not a port number"), field=key,
                                      value=str(value)[:10])
            out[key] = port
        elif key == "smtp_security":
            out[key] = _one_of(value, SECURITY, key)
        elif key == "sms_route":
            out[key] = _one_of(value, SMS_ROUTES, key)
        elif key == "sms_url":
            url = validate.text(value, key, required=False, max_len=500)
            if url and urllib.parse.urlsplit(url).scheme not in ("http", "https"):
                raise ValidationError(N_("{value} is not an http or https address"), field=key,
                                      value=url[:60])
            out[key] = url
        elif key == "sms_body":
            body = validate.text(value, key, required=False, max_len=4000)
            template = string.Template(body)
            if not template.is_valid() or set(template.get_identifiers()) - {"to", "text"}:
                raise ValidationError(N_("the gateway's body may use only $to and $text"),
                                      field=key)
            out[key] = body
        else:
            text = validate.text(value, key, required=False, max_len=200)
            if "\n" in text:
                raise ValidationError(N_("must be on one line"), field=key)
            out[key] = text
    return out


def _one_of(value: object, allowed: tuple[str, ...], field: str) -> str:
    if value not in allowed:
        raise ValidationError(N_("{value} is not one of: {allowed}"), field=field,
                              value=str(value)[:20], allowed=", ".join(allowed))
    return str(value)


# --- handing a message over ------------------------------------------------------------------

def deliver(config: SendConfig, message: Message) -> None:
    """Send one message now; ``SendError`` says why it did not go."""
    import http.client   # the network modules load when something is sent, not at start-up
    import smtplib
    try:
        if message.channel == "email":
            _smtp(config, message.recipient, message.subject, message.body)
        elif message.channel == "sms" and config.sms_route == "http":
            _gateway(config, message.recipient, message.body)
        elif message.channel == "sms" and config.sms_route == "email":
            digits = "".join(ch for ch in message.recipient if ch.isdigit() or ch == "+")
            _smtp(config, f"{digits}@{config.sms_email_domain}", "", message.body)
        else:
            raise SendError(f"no way to send a {message.channel} message is set up")
    except SendError:
        raise
    except (OSError, smtplib.SMTPException, http.client.HTTPException, ValueError) as exc:
        raise SendError(_scrubbed(config, f"{type(exc).__name__}: {exc}")[:500]) from exc


def _scrubbed(config: SendConfig, text: str) -> str:
    """An error's text as kept on the outbox row (and so in the log), without what a
    library's message may quote: the gateway's address (key and all) or the password."""
    query = urllib.parse.urlsplit(config.sms_url).query if config.sms_url else ""
    return scrub(text, (config.smtp_password, config.sms_url, query))


def _smtp(config: SendConfig, to: str, subject: str, body: str) -> None:
    import smtplib
    import ssl
    from email.message import EmailMessage
    from email.utils import formatdate, make_msgid
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = config.sender, to, subject
    mail["Date"] = formatdate(localtime=False)
    mail["Message-ID"] = make_msgid(domain=config.sender.rpartition("@")[2] or None)
    mail.set_content(body, charset="utf-8")
    if config.smtp_security == "ssl":
        server = smtplib.SMTP_SSL(config.smtp_host, config.smtp_port, timeout=TIMEOUT,
                                  context=ssl.create_default_context())
    else:
        server = smtplib.SMTP(config.smtp_host, config.smtp_port, timeout=TIMEOUT)
    with server:
        if config.smtp_security == "starttls":
            server.starttls(context=ssl.create_default_context())
        if config.smtp_user:
            server.login(config.smtp_user, config.smtp_password)
        server.send_message(mail)


def _gateway(config: SendConfig, to: str, text: str) -> None:
    import urllib.error
    import urllib.request
    if "json" in config.sms_content_type:
        quote = lambda value: json.dumps(value, ensure_ascii=False)[1:-1]  # noqa: E731
    else:
        quote = urllib.parse.quote_plus
    body = string.Template(config.sms_body).substitute(to=quote(to), text=quote(text))
    request = urllib.request.Request(config.sms_url, data=body.encode("utf-8"), method="POST",
                                     headers={"Content-Type": config.sms_content_type})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            if not 200 <= response.status < 300:
                raise SendError(f"the gateway answered {response.status}")
    except urllib.error.HTTPError as exc:
        raise SendError(f"the gateway answered {exc.code} {exc.reason}") from exc
