"""The printed forms: data in, PDF bytes out (ReportLab, never Qt)."""
from desk.forms.fonts import FontError
from desk.forms.triplicate import COPIES, check_copies, render_triplicate

__all__ = ["COPIES", "FontError", "check_copies", "render_triplicate"]
