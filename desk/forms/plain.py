"""Paragraph fragments for plain text, built directly instead of by ReportLab's markup parser.

The form's text is never markup: it is escaped, and its line breaks become ``<br/>``. For
such text the parser's only work is to cut it at the line breaks and at the three entities
``escape`` writes, giving each piece the paragraph style's font and colour; parsing was
about a tenth of the form's time. ``fragments`` makes the same pieces (the form tests and
``tests/test_form_plain.py`` hold them equal to the parser's), so lines break and draw
exactly as before.
"""
from __future__ import annotations

import re
from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus.paragraph import cleanBlockQuotedText
from reportlab.platypus.paraparser import ParaFrag, ParaParser

_ENTITY = re.compile(r"&(amp|lt|gt);")
_CHARACTER = {"amp": "&", "lt": "<", "gt": ">"}
BREAK = "<br/>"


def markup(text: str) -> str:
    """Plain text as paragraph markup: escaped, its line breaks kept."""
    return escape(text).replace("\n", BREAK)


@lru_cache(maxsize=64)   # a handful of styles per font, made once (layout.styles)
def _template(style: ParagraphStyle) -> ParaFrag:
    parser = ParaParser()
    parser.caseSensitive = 1
    return parser.parse("x", style)[1][0]


def fragments(marked: str, style: ParagraphStyle) -> list[ParaFrag]:
    """The fragments ReportLab's parser makes of ``marked`` (``markup`` output) in ``style``."""
    template = _template(style)
    frags = []
    for n, line in enumerate(cleanBlockQuotedText(marked).split(BREAK)):
        if n:
            frags.append(template.clone(text="", lineBreak=True, link=[], us_lines=[],
                                        __tag__="br"))
        for i, part in enumerate(_ENTITY.split(line)):
            if i % 2:
                frags.append(template.clone(text=_CHARACTER[part], link=[], us_lines=[]))
            elif part:
                frags.append(template.clone(text=part, link=[], us_lines=[]))
    return frags
