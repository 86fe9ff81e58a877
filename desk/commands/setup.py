"""``desk init``: create (or upgrade) a store, optionally filled with demo data."""
from __future__ import annotations

from desk.enums import policy_label
from desk.i18n import _


def register(sub) -> None:
    init = sub.add_parser("init", help=_("create or upgrade the store"))
    init.add_argument("--demo", dest="demo_cases", type=int, metavar="N",
                      help=_("fill the store with N demo cases and demo staff"))
    init.set_defaults(handler=init_store)


def init_store(ctx) -> int:
    store = ctx.store  # opening the store runs the migrations
    if ctx.args.demo_cases is not None:
        from desk.demo import fill_demo
        report = fill_demo(store, ctx.policy, ctx.args.demo_cases)
        print(_("demo store ready: {count} cases; demo staff and PINs:").format(count=report.cases))
        for staff_no, name, role, pin in report.staff:
            print(f"  {staff_no}\t{pin}\t{name}\t{policy_label(role)}")
    print(_("store ready: {url}").format(url=store.engine.url.render_as_string(hide_password=True)))
    return 0
