"""Who holds which privilege: the one check every service, command and screen asks."""
from __future__ import annotations

from desk.enums import Privilege
from desk.errors import N_, AuthenticationError, AuthorityError
from desk.policy import Policy

# What a refusal says when the caller has nothing more precise to say.
REFUSALS = {
    Privilege.CLOSE: N_("closing a case needs a supervisor or higher"),
    Privilege.REVIEW: N_("reviewing cases needs a supervisor or higher"),
    Privilege.PERSONAL_DATA: N_("seeing customers' personal data needs the personal data "
                                "privilege"),
    Privilege.REPORTS: N_("reports need a supervisor or higher"),
    Privilege.REOPEN_DAY: N_("reopening a closed day needs a store manager or higher"),
    Privilege.ADMIN: N_("only an administrator may do this"),
    Privilege.TOP: N_("only the top role may do this"),
    Privilege.IMPORT_HISTORY: N_("only a role with the import privilege may bring cases in as "
                                 "migrated history"),
    Privilege.POLICY: N_("only a role with the \"policy\" privilege may change the store's "
                         "policy"),
    Privilege.FINANCE: N_("only finance may review or pay a cost"),
    Privilege.LEGAL_REVIEW: N_("the second review of a written reply needs the "
                               "\"legal_review\" privilege"),
    Privilege.WATCH_LIST: N_("the watch-list of batch complaints needs the \"watch_list\" "
                             "privilege"),
    Privilege.DECIDE_BATCHES: N_("confirming or dismissing a batch complaint needs a "
                                 "supervisor or higher"),
}


def holds(policy: Policy, actor, privilege: Privilege) -> bool:
    """Whether ``actor`` (an ``Actor``; None for nobody signed in) has ``privilege`` under
    ``policy``. A role the policy does not know holds nothing."""
    if actor is None:
        return False
    role = policy.roles.get(getattr(actor, "role", None))
    return bool(role and role.has(Privilege(privilege).value))


def require(policy: Policy, actor, privilege: Privilege, message: str | None = None, *,
            field: str = "role") -> None:
    """Refuse (``AuthorityError`` naming ``field``) unless ``actor`` holds ``privilege``."""
    if actor is None:
        raise AuthenticationError(N_("sign in first"), field="staff_id")
    if not holds(policy, actor, privilege):
        raise AuthorityError(message or REFUSALS[Privilege(privilege)], field=field)


def may_approve(policy: Policy, actor) -> bool:
    """Whether ``actor``'s role stands above the lowest one: nobody needs the approval of a
    role that every member of staff has, so only higher roles see the queue."""
    if actor is None or actor.role not in policy.roles:
        return False
    # Roles that grant nothing (finance) neither ask for approvals nor give them.
    lowest = min((role.rank for role in policy.roles.values() if role.kinds),
                 default=policy.roles[actor.role].rank)
    return policy.roles[actor.role].rank > lowest


__all__ = ["Privilege", "REFUSALS", "holds", "may_approve", "require"]
