"""``desk search rebuild-index``: the free-text index emptied and built again from every case
(an administrator, signed in), for a store whose index was damaged or that a tool changed
behind the program's back; progress is printed as it goes."""
from __future__ import annotations

import sys
import time

from desk.i18n import _


def register(sub) -> None:
    search = sub.add_parser("search", help=_("the free-text search index"))
    actions = search.add_subparsers(dest="search_command", required=True, metavar="ACTION")
    rebuild = actions.add_parser("rebuild-index",
                                 help=_("build the search index again from every case"),
                                 description=_("Needs --as and --pin of a role with the admin "
                                               "privilege. Saving waits while it runs; searches "
                                               "use the old index until it is done, and an "
                                               "interrupted run leaves the old index."))
    rebuild.set_defaults(handler=rebuild_index)


class _Progress:
    """A line per tenth of the way (and the last), so a log of the run reads well too."""

    def __init__(self) -> None:
        self.next_tenth = 1
        self.started = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        if done < total and done * 10 < self.next_tenth * total:
            return
        self.next_tenth = done * 10 // max(total, 1) + 1
        print(_("search index: {done} of {total} cases ({seconds:.0f} s)").format(
            done=done, total=total, seconds=time.monotonic() - self.started), flush=True)


def rebuild_index(ctx) -> int:
    from desk import search_index
    from desk.enums import Privilege
    from desk.privileges import require
    actor = ctx.actor()
    require(ctx.policy, actor, Privilege.ADMIN, field="staff_id")
    started = time.monotonic()
    with ctx.store.write(actor) as session:
        conn = session.connection()
        search_index.clear(conn)
        indexed = search_index.rebuild(conn, _Progress())
    print(_("the search index was rebuilt: {count} cases in {seconds:.1f} s").format(
        count=indexed, seconds=time.monotonic() - started))
    sys.stdout.flush()
    return 0
