"""Opening the supervisor's review window: on the main store for the signed-in supervisor,
or straight on a day pack file (chosen, or named on the command line)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from desk.app.review import StoreReview
from desk.enums import Privilege
from desk.errors import AuthorityError
from desk.i18n import N_, _
from desk.pack_review import PackReview
from desk.packs import SUFFIX
from desk.policy import Policy
from desk.privileges import holds
from ui.errors import reported
from ui.review import ReviewWindow
from ui.review_files import PACK_FILTER


def open_store_review(parent: QWidget | None, store, policy: Policy, actor) -> ReviewWindow:
    """The review window on the main store for the signed-in supervisor."""
    if not holds(policy, actor, Privilege.REVIEW):
        raise AuthorityError(N_("reviewing cases needs a supervisor or higher"), field="role")
    window = ReviewWindow(StoreReview(store, policy, actor), policy, parent=parent)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.setWindowFlag(Qt.WindowType.Window, True)
    window.show()
    return window


def open_pack(path: Path, policy: Policy, trusted: dict[str, str],
              parent: QWidget | None = None) -> ReviewWindow:
    """A review window straight on a pack file, governed by the policy of the store that
    exported it. ``trusted``: the pack keys this PC's store trusts; a pack altered, unsigned
    or signed by any other key raises ``PackError``, as ``desk pack show`` refuses it."""
    review = PackReview(Path(path), policy, trusted=trusted)
    window = ReviewWindow(review, review.policy, parent=parent)
    window.trusted = trusted
    window.setWindowFlag(Qt.WindowType.Window, True)
    return window


def open_pack_dialog(parent: QWidget | None, policy: Policy,
                     trusted: dict[str, str]) -> ReviewWindow | None:
    path, _filter = QFileDialog.getOpenFileName(
        parent, _("Open a day pack"), "", _(PACK_FILTER).format(suffix=SUFFIX))
    if not path:
        return None
    with reported(parent) as failed:
        window = open_pack(Path(path), policy, trusted, parent)
    if failed:
        return None
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.show()
    return window


def run_pack_review(app, path: Path, policy: Policy, trusted: dict[str, str]) -> int:
    """``complaint-desk --review FILE``: the review window on a pack, and nothing else;
    ``trusted`` are the pack keys this PC's store trusts."""
    from ui.errors import explain
    try:
        window = open_pack(path, policy, trusted)
    except Exception as exc:   # an altered, unsigned or unknown pack: say why and stop
        QMessageBox.critical(None, _("Complaint Desk"), explain(exc))
        return 2
    window.show()
    return app.exec()


__all__ = ["open_pack", "open_pack_dialog", "open_store_review", "run_pack_review"]
