"""``desk staff add|edit|reset-pin|list``."""
from __future__ import annotations

from desk.i18n import _
from desk.enums import policy_label


def register(sub) -> None:
    staff = sub.add_parser("staff", help=_("staff members and their roles"))
    actions = staff.add_subparsers(dest="staff_command", required=True, metavar="ACTION")
    add = actions.add_parser("add", help=_("add a staff member"))
    add.add_argument("staff_id")
    add.add_argument("--role", required=True)
    add.add_argument("--name", required=True)
    add.add_argument("--pin", dest="new_pin", required=True)
    add.set_defaults(handler=add_staff)
    edit = actions.add_parser("edit", help=_("change a staff member's name, role or sign-in"))
    edit.add_argument("staff_id")
    edit.add_argument("--role")
    edit.add_argument("--name")
    state = edit.add_mutually_exclusive_group()
    state.add_argument("--disable", dest="active", action="store_false", default=None,
                       help=_("the person may no longer sign in"))
    state.add_argument("--enable", dest="active", action="store_true",
                       help=_("the person may sign in again"))
    edit.set_defaults(handler=edit_staff)
    reset = actions.add_parser("reset-pin", help=_("give a staff member a new PIN"))
    reset.add_argument("staff_id")
    reset.add_argument("--new-pin", dest="new_pin", required=True)
    reset.set_defaults(handler=reset_pin)
    lst = actions.add_parser("list", help=_("list staff members"))
    lst.set_defaults(handler=list_staff)


def add_staff(ctx) -> int:
    from desk.services.staff import add_staff as add
    actor = ctx.actor(required=False)
    # Before the first administrator exists, adding staff is the store's set-up.
    with ctx.store.write(actor, system=None if actor else "setup") as session:
        staff = add(session, ctx.policy, ctx.args.staff_id, ctx.args.name, ctx.args.role,
                    ctx.args.new_pin, actor=actor)
        print(_("added {staff_id} {name} ({role})").format(
            staff_id=staff.staff_no, name=staff.name, role=policy_label(staff.role)))
    return 0


def edit_staff(ctx) -> int:
    from desk.app.admin import Admin
    row = Admin(ctx.store, ctx.policy, ctx.actor()).edit_staff(
        ctx.args.staff_id, name=ctx.args.name, role=ctx.args.role, active=ctx.args.active)
    state = "" if row.active else " " + _("(inactive)")
    print(_("changed {staff_id} {name} ({role})").format(
        staff_id=row.staff_no, name=row.name, role=policy_label(row.role)) + state)
    return 0


def reset_pin(ctx) -> int:
    from desk.app.admin import Admin
    Admin(ctx.store, ctx.policy, ctx.actor()).reset_pin(ctx.args.staff_id, ctx.args.new_pin)
    print(_("new PIN set for {staff_id}").format(staff_id=ctx.args.staff_id))
    return 0


def list_staff(ctx) -> int:
    from desk.queries import staff_rows
    with ctx.store.read() as session:
        for row in staff_rows(session):
            state = "" if row.active else " " + _("(inactive)")
            print(f"{row.staff_no}\t{row.name}\t{policy_label(row.role)}{state}")
    return 0
