"""The customer's signature as a picture on paper: the settlement agreement and the form's
settlement box both draw it."""
from __future__ import annotations

import io

from reportlab.lib.utils import ImageReader
from reportlab.platypus import Image


def signature_flowable(data: bytes | None, width: float, height: float) -> Image | None:
    """The signature scaled into ``width`` x ``height`` (None: nothing yet, or a scan that
    is not a picture, such as a PDF: the paper itself is what was kept)."""
    if not data:
        return None
    try:
        w, h = ImageReader(io.BytesIO(data)).getSize()
    except Exception:   # ReportLab raises several kinds for bytes that are no image
        return None
    scale = min(width / w, height / h)
    return Image(io.BytesIO(data), width=w * scale, height=h * scale)
