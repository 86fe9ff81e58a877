"""Day packs are authenticated, not only hashed: anyone can recompute a manifest, so the
exporting store signs it with its Ed25519 key (``cryptography``). A pack is reviewed only
where the exporting store's public key is trusted (the store itself, or one registered with
``desk pack trust add``), and imported only into the store whose key signed it.

The signature covers the manifest as exported (cases, forms, reviewers, policy and their
digests, the audit head), leaving out only the digest of ``decisions.json``, which the
reviewer rewrites. The private half lives in the store (``pack_signing_key``): whoever can
read the store could sign, but could also change the store itself; the key guards packs
against whoever holds only the file in transit."""
from __future__ import annotations

import hashlib
import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.errors import N_, DomainError, ValidationError
from desk.i18n import FIELD_LABELS
from desk.model import utcnow
from desk.pack_keys_model import PackSigningKey, TrustedPackKey

FIELD_LABELS.setdefault("key_file", N_("key file"))
SIGNATURE = "signature.json"
KEY_FILE_HEADER = "complaint-desk pack key ed25519"


class SignatureRefused(DomainError):
    """The pack's signature is missing, wrong or from an unknown key (``desk.packs`` turns
    it into its ``PackError``)."""


def fingerprint(public_hex: str) -> str:
    return hashlib.sha256(bytes.fromhex(public_hex)).hexdigest()[:16]


def _signed_bytes(manifest: dict, decisions_name: str) -> bytes:
    view = dict(manifest)
    view["files"] = {k: v for k, v in (manifest.get("files") or {}).items()
                     if k != decisions_name}
    return json.dumps(view, sort_keys=True, ensure_ascii=True, separators=(",", ":"),
                      default=str).encode("ascii")


def own_key(session: Session, *, create: bool = False) -> PackSigningKey | None:
    """The store's signing key; made (once) when ``create`` and there is none."""
    row = session.get(PackSigningKey, 1)
    if row is None and create:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        key = Ed25519PrivateKey.generate()
        raw = serialization.Encoding.Raw
        row = PackSigningKey(
            id=1, created_at=utcnow(),
            private_key=key.private_bytes(raw, serialization.PrivateFormat.Raw,
                                          serialization.NoEncryption()).hex(),
            public_key=key.public_key().public_bytes(raw, serialization.PublicFormat.Raw).hex())
        session.add(row)
        session.flush()
    return row


def sign(session: Session, manifest: dict, decisions_name: str) -> bytes:
    """The signature member for a pack about to be written (the key made if needed)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    row = own_key(session, create=True)
    key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(row.private_key))
    signature = key.sign(_signed_bytes(manifest, decisions_name))
    return json.dumps({"algorithm": "ed25519", "key": row.public_key,
                       "signature": signature.hex()}, indent=1).encode("ascii")


def check(members: dict[str, bytes], manifest: dict, decisions_name: str,
          trusted: dict[str, str]) -> str:
    """The trusted name of the key that signed the pack; ``SignatureRefused`` when it is
    unsigned, its signature does not verify, or the key is not among ``trusted``
    (public key hex -> name)."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    raw = members.get(SIGNATURE)
    if raw is None:
        raise SignatureRefused(N_("the day pack is not signed; only signed packs are accepted "
                                  "(export it again from its store)"))
    try:
        item = json.loads(raw.decode("ascii"))
        public = bytes.fromhex(item["key"])
        Ed25519PublicKey.from_public_bytes(public).verify(
            bytes.fromhex(item["signature"]), _signed_bytes(manifest, decisions_name))
    except (InvalidSignature, ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise SignatureRefused(N_("the day pack's signature does not match its content; the "
                                  "pack was altered or forged and is refused")) from None
    name = trusted.get(public.hex())
    if name is None:
        raise SignatureRefused(N_("the day pack is signed by an unknown store (key {value}); an "
                                  "administrator registers that store's key once with desk "
                                  "pack trust add"), value=fingerprint(public.hex()))
    return name


def trusted_keys(session: Session) -> dict[str, str]:
    """Public key hex -> name, for every key this store trusts (its own included)."""
    keys = {row.public_key: row.name for row in session.scalars(select(TrustedPackKey))}
    own = own_key(session)
    if own is not None:
        keys[own.public_key] = "this store"
    return keys


def key_file_text(session: Session) -> str:
    """The public half, as a file to carry to the reviewing store (the key made if needed)."""
    row = own_key(session, create=True)
    return f"{KEY_FILE_HEADER} {row.public_key}\n"


def parse_key_file(text: str) -> str:
    parts = text.strip().split()
    if len(parts) != 5 or " ".join(parts[:4]) != KEY_FILE_HEADER:
        raise ValidationError(N_("not a pack key file of this program"), field="key_file")
    try:
        if len(bytes.fromhex(parts[4])) != 32:
            raise ValueError
    except ValueError:
        raise ValidationError(N_("not a pack key file of this program"),
                              field="key_file") from None
    return parts[4].lower()


def add_trusted(session: Session, policy, actor, text: str, name: object) -> TrustedPackKey:
    """Trust another store's packs (administrators only; audited like any row)."""
    from desk.privileges import Privilege, require
    from desk.services import validate
    from desk.uow import bind_actor
    bind_actor(session, actor)
    require(policy, actor, Privilege.ADMIN, field="staff_id")
    public = parse_key_file(text)
    label = validate.text(name, "name", max_len=100)
    mark = fingerprint(public)
    if session.get(TrustedPackKey, mark) is not None:
        raise ValidationError(N_("the key {value} is already trusted"), field="key_file",
                              value=mark)
    row = TrustedPackKey(fingerprint=mark, name=label, public_key=public, added_at=utcnow(),
                         added_by_id=actor.id)
    session.add(row)
    session.flush()
    return row
