"""The base of the doors a screen keeps open while people sign in and out at the PC: who acts
is asked at each call, never remembered."""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from desk.errors import N_, AuthenticationError
from desk.policy import Policy

if TYPE_CHECKING:   # annotations only: a screen imports a door before SQLAlchemy is loaded
    from desk.services.auth import Actor


class FollowingDoor:
    """``actor`` is asked at each call, so a switch of user at the PC is followed."""

    def __init__(self, store, policy: Policy, actor: Callable[[], Actor | None]) -> None:
        self.store, self.policy, self._who = store, policy, actor

    @classmethod
    def of_desk(cls, desk):
        """The same store and signed-in person as a surface's session."""
        return cls(desk.store, desk.policy, lambda: desk.actor)

    def actor(self) -> Actor:
        actor = self._who()
        if actor is None:
            raise AuthenticationError(N_("sign in first"), field="staff_id")
        return actor
