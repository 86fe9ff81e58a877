"""``desk mall set|list``: the malls of a group that shares one store, and their desks."""
from __future__ import annotations

from desk.i18n import _


def register(sub) -> None:
    mall = sub.add_parser("mall", help=_("the malls of a group sharing this store"))
    actions = mall.add_subparsers(dest="mall_command", required=True, metavar="ACTION")
    put = actions.add_parser("set", help=_("add or rename a mall and give it desks"))
    put.add_argument("code")
    put.add_argument("--name", required=True)
    put.add_argument("--desk", dest="desks", action="append", default=[],
                     help=_("a desk of this mall (repeat for several)"))
    put.set_defaults(handler=set_mall)
    lst = actions.add_parser("list", help=_("list the malls and their desks"))
    lst.set_defaults(handler=list_malls)


def set_mall(ctx) -> int:
    from desk.services.malls import set_mall as put
    actor = ctx.actor()
    with ctx.store.write(actor) as session:
        mall = put(session, ctx.policy, actor, ctx.args.code, ctx.args.name, ctx.args.desks)
        print(_("mall {code}: {name}").format(code=mall.code, name=mall.name))
    return 0


def list_malls(ctx) -> int:
    from desk.services.malls import mall_rows
    with ctx.store.read() as session:
        rows = mall_rows(session)
    if not rows:
        print(_("this store is one mall's (no malls set)"))
    for row in rows:
        print(f"{row.code}\t{row.name}\t{', '.join(row.desks)}")
    return 0
