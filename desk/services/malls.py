"""Malls of a group that shares one store: which desks each mall has, and which mall a new
case belongs to. A store without malls is one mall's, as every store was before, and its
cases name no mall."""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.errors import N_, ValidationError
from desk.model import Case, Mall, MallDesk, Setting
from desk.policy import Policy
from desk.privileges import Privilege, require
from desk.services import memo, numbering, validate
from desk.services.auth import Actor
from desk.uow import bind_actor

MALL_CODE = re.compile(r"^[A-Z0-9]{1,8}$")


@dataclass(frozen=True)
class MallRow:
    code: str
    name: str
    desks: tuple[str, ...]


def check_code(code: object, field: str = "mall") -> str:
    value = str(code or "").strip().upper()
    if not MALL_CODE.match(value):
        raise ValidationError(N_("a mall code is 1 to 8 capital letters or digits"),
                              field=field)
    return value


def set_mall(session: Session, policy: Policy, actor: Actor, code: object, name: object,
             desks: list[str] | tuple[str, ...] = ()) -> Mall:
    """Add a mall, or rename it, and give it desks. A desk serves one mall: one that already
    serves another is refused, since its cases would change malls in every report."""
    require(policy, actor, Privilege.ADMIN)
    bind_actor(session, actor)
    code = check_code(code)
    name = validate.text(name, "name", max_len=100)
    wanted = [numbering.check_desk(str(d).strip().upper()) for d in desks]
    mall = session.get(Mall, code)
    if mall is None:
        mall = Mall(code=code, name=name)
        session.add(mall)
    else:
        mall.name = name
    session.flush()
    for desk in wanted:
        serving = session.get(MallDesk, desk)
        if serving is None:
            session.add(MallDesk(desk=desk, mall=code))
        elif serving.mall != code:
            raise ValidationError(N_("desk {value} already serves mall {other}"), field="desks",
                                  value=desk, other=serving.mall)
    session.flush()
    return mall


def mall_of_desk(session: Session, desk: str) -> str | None:
    """The mall a case taken at ``desk`` belongs to: None in a store without malls; in a
    group's store a desk no mall lists is refused, so the group's figures add up."""
    return memo.mall_of_desk(session, desk, lambda: _mall_of_desk(session, desk))


def _mall_of_desk(session: Session, desk: str) -> str | None:
    mall = session.scalar(select(MallDesk.mall).where(MallDesk.desk == desk))
    if mall is not None:
        return mall
    if session.scalar(select(Mall.code).limit(1)) is None:
        return None
    raise ValidationError(N_("desk {value} serves none of this store's malls; an administrator "
                             "assigns it (desk mall set)"), field="desk", value=desk)


def mall_rows(session: Session) -> list[MallRow]:
    desks: dict[str, list[str]] = {}
    for desk, mall in session.execute(select(MallDesk.desk, MallDesk.mall)
                                      .order_by(MallDesk.desk)):
        desks.setdefault(mall, []).append(desk)
    return [MallRow(m.code, m.name, tuple(desks.get(m.code, ())))
            for m in session.scalars(select(Mall).order_by(Mall.code))]


def mall_name(session: Session, code: str | None) -> str | None:
    """A mall's name for forms and reports (None: the store's own name applies)."""
    if code is None:
        return None
    mall = session.get(Mall, code)
    return mall.name if mall else None


def mall_of_case(session: Session, case_no: str) -> str | None:
    return session.scalar(select(Case.mall).where(Case.case_no == case_no))


def name_on_paper(session: Session, code: str | None) -> str | None:
    """The name a form or report is headed with: the case's mall in a group's store, else
    the store's own (set up at first run; None: the policy's)."""
    own = session.get(Setting, "mall_name")
    return mall_name(session, code) or (own.value if own else None)


def check_known(session: Session, code: object) -> str:
    """A mall code that this store has (reports per mall)."""
    value = check_code(code)
    if session.get(Mall, value) is None:
        raise ValidationError(N_("no mall {value} in this store"), field="mall", value=value)
    return value
