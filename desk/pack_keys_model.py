"""The tables of day-pack signing: this store's own Ed25519 key, and the other stores' public
keys it trusts for packs it reviews (see ``desk.pack_signing``)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from desk.model import Base


class PackSigningKey(Base):
    """The store's key for signing the day packs it exports (one row, made at the first
    export). The private half is kept here, where every PC exporting from the store finds it;
    the audit log holds only its fingerprint."""

    __tablename__ = "pack_signing_key"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    public_key: Mapped[str] = mapped_column(String(64))
    private_key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]


class TrustedPackKey(Base):
    """Another store's public key, registered once by an administrator of this store: packs
    signed with it may be reviewed here."""

    __tablename__ = "pack_trusted_key"

    fingerprint: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    public_key: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[datetime]
    added_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
