"""Every window of the counter app, built over one small store, for the checks that walk
them all (fit on small screens, mnemonics, accessible names)."""
from __future__ import annotations

from PySide6.QtWidgets import QWidget

from desk.app.review import StoreReview
from tests.conftest import PINS


def all_windows(window, qtbot, language) -> dict[str, QWidget]:
    """name -> a top-level window or dialog, not yet shown (the main window is)."""
    from desk.about import about
    from tests.ui.test_ui_counter_flow import saved_case
    from ui.about import AboutDialog
    from ui.admin_policy import PolicyAdminDialog
    from ui.admin_staff import StaffAdminDialog
    from ui.approval import ApprovalDialog
    from ui.approvals import ApprovalsQueue
    from ui.form_dialog import Field, FormDialog
    from ui.print_preview import PrintPreviewDialog
    from ui.review import ReviewWindow
    from ui.settings import SettingsDialog
    from ui.setup_dialog import SetupDialog
    from ui.signin import SignInDialog
    desk = window.desk
    case = saved_case(window, qtbot)
    desk.sign_in("A001", PINS["A001"])
    window.refresh_status()
    made = {
        "main": window,
        "print_preview": PrintPreviewDialog(desk, case.case_no, locale=language.locale,
                                            paper="a4"),
        "review": ReviewWindow(StoreReview(desk.store, desk.policy, desk.actor), desk.policy),
        "approvals": ApprovalsQueue(desk),
        "settings": SettingsDialog(window.settings, language, desk="A", paper="a4", db=""),
        "setup": SetupDialog(desk.policy, lambda values: None),
        "sign_in": SignInDialog(desk),
        "about": AboutDialog(about(None, url=desk.store.url)),
        "approval": ApprovalDialog("Offer: Voucher, NT$1,500", "beyond the authority of Clerk",
                                   desk.verify, lambda *a: None),
        "action": FormDialog("Resolve", [Field("result", "Handling &result", "text"),
                                         Field("validity", "&Validity")], lambda v: None),
        "staff": StaffAdminDialog(desk.admin()),
        "policy": PolicyAdminDialog(desk.admin()),
    }
    for name, widget in made.items():
        if widget is not window:
            qtbot.addWidget(widget)
    return made
