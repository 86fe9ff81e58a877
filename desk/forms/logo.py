"""The mall's logo on the form, encoded for PDF once per process instead of once per form.

``Canvas.drawImage`` deflates the picture's pixels and its alpha channel again for every
document and hashes them to name the image: about a twelfth of an A4 form's time for a
160-pixel logo. ``draw_logo`` keeps the encoded image and does the rest of what
``drawImage`` does (register the image and its soft mask with this document, then place
it), so the file holds the same image as before.
"""
from __future__ import annotations

import copy
import hashlib
from functools import lru_cache

from reportlab.lib.boxstuff import aspectRatioFix
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfdoc import PDFImageXObject, PDFObjectReference
from reportlab.pdfgen.canvas import Canvas


@lru_cache(maxsize=8)   # keyed by the reader, which load_logo keeps per file and mtime
def _encoded(logo: ImageReader) -> PDFImageXObject:
    pixels = logo.getRGBData()   # also splits off the alpha channel
    alpha = getattr(logo, "_dataA", None)
    digest = hashlib.md5(pixels + (alpha.getRGBData() if alpha else b""))
    return PDFImageXObject("deskLogo" + digest.hexdigest(), logo, mask="auto")


def draw_logo(c: Canvas, logo: ImageReader, x: float, y: float, width: float,
              height: float) -> None:
    """``c.drawImage(logo, x, y, width, height, preserveAspectRatio=True, mask="auto")``."""
    encoded = _encoded(logo)
    doc = c._doc
    name = doc.getXObjectName(encoded.name)
    if doc.idToObject.get(name) is None:
        image = copy.copy(encoded)          # this document's references go on a copy
        smask = image.__dict__.pop("_smask", None)
        c._setXObjects(image)
        doc.Reference(image, name)
        doc.addForm(encoded.name, image)
        if smask is not None:
            mask_name = doc.getXObjectName(smask.name)
            if doc.idToObject.get(mask_name) is None:
                smask = copy.copy(smask)
                c._setXObjects(smask)
                image.smask = doc.Reference(smask, mask_name)
            else:
                image.smask = PDFObjectReference(mask_name)
    c._currentPageHasImages = 1
    x, y, width, height, _scaled = aspectRatioFix(True, "c", x, y, width, height,
                                                 encoded.width, encoded.height)
    c.saveState()
    c.translate(x, y)
    c.scale(width, height)
    c._code.append(f"/{name} Do")
    c.restoreState()
    c._formsinuse.append(encoded.name)   # into the resources of this page or form
