"""The form's boxed tables drawn straight on the canvas: sized once, drawn in one pass with
one text object for the one-line cells, and handed to ReportLab's ``Table`` only when one
has to be split across pages.

A ``Grid`` takes the same data, widths, heights and style commands as ``Table`` and draws
the same picture (row heights, cell placement, backgrounds, spans and rules follow
``Table``'s rules); ``Table`` lays out every cell again for each wrap and draws each cell
in a saved graphics state of its own, which was about half of the form's time.
"""
from __future__ import annotations

from reportlab.lib import colors
from reportlab.platypus import Flowable, Table, TableStyle
from reportlab.platypus.tables import CellStyle

from desk.forms.layout import Cell

_DEFAULT = CellStyle("grid")
_SETTINGS = {"VALIGN": 0, "ALIGN": 1, "LEFTPADDING": 2, "RIGHTPADDING": 3, "TOPPADDING": 4,
             "BOTTOMPADDING": 5}
_PLACES = {"LEFT", "RIGHT", "CENTER", "TOP", "MIDDLE", "BOTTOM"}
_LINES = {"GRID", "BOX", "INNERGRID", "LINEBELOW", "LINEABOVE"}
_FUZZ = 1e-6


class Grid(Flowable):
    """A ``Table`` of flowable cells (text, tick boxes, stars, pictures, grids) whose
    column widths are given; anything else it does not know goes to ``Table`` whole."""

    def __init__(self, data: list[list], colWidths: list[float], rowHeights=None, style=None,
                 repeatRows: int = 0, splitInRow: int = 0) -> None:
        super().__init__()
        self._cellvalues = data
        self.col_widths = list(colWidths)
        self.row_heights = list(rowHeights or [None] * len(data))
        self.commands = list(style.getCommands() if isinstance(style, TableStyle) else style or [])
        self.repeat_rows, self.split_in_row = repeatRows, splitInRow
        self.hAlign = "CENTER"
        self.keep_together = False
        self._table: Table | None = None
        self._sized = False
        self._simple = self._parse()

    # -- what the style commands say --------------------------------------------------------
    def _parse(self) -> bool:
        rows, cols = len(self._cellvalues), len(self.col_widths)
        self.nrows, self.ncols = rows, cols
        # Cell settings (valign, align, paddings): the whole table's, then narrower overrides.
        self.base = ["BOTTOM", "LEFT", _DEFAULT.leftPadding, _DEFAULT.rightPadding,
                     _DEFAULT.topPadding, _DEFAULT.bottomPadding]
        self.overrides: list[tuple] = []
        self.backgrounds, self.lines, self.spans = [], [], {}
        self.hidden: set[tuple[int, int]] = set()
        for cmd in self.commands:
            op, (c0, r0), (c1, r1) = cmd[0], cmd[1], cmd[2]
            if isinstance(r0, str) or isinstance(r1, str):
                return False
            c0, c1 = (c0 + cols if c0 < 0 else c0), (c1 + cols if c1 < 0 else c1)
            r0, r1 = (r0 + rows if r0 < 0 else r0), (r1 + rows if r1 < 0 else r1)
            if op == "FONTNAME":
                continue   # the cells are flowables with their own font
            if op in _LINES:
                if len(cmd) > 5:
                    return False   # caps, dashes, joins, double lines: Table's business
                self.lines.append((op, c0, r0, c1, r1, cmd[3], cmd[4]))
            elif op == "BACKGROUND":
                colour = colors.toColorOrNone(cmd[3])
                if colour is not None:
                    self.backgrounds.append((c0, r0, c1, r1, colour))
            elif op == "SPAN":
                if r0 != r1:
                    return False
                if c1 > c0:
                    self.spans[(c0, r0)] = c1
                    self.hidden.update((c, r0) for c in range(c0 + 1, c1 + 1))
            elif op in _SETTINGS:
                value = cmd[3]
                if op == "ALIGN":
                    value = "CENTER" if value.upper() in ("CENTRE", "CENTER") else value.upper()
                if op in ("ALIGN", "VALIGN") and value not in _PLACES:
                    return False   # decimal alignment and the like: Table's business
                if (c0, r0, c1, r1) == (0, 0, cols - 1, rows - 1) and not self.overrides:
                    self.base[_SETTINGS[op]] = value
                else:
                    self.overrides.append((c0, r0, c1, r1, _SETTINGS[op], value))
            else:
                return False
        return all(isinstance(v, Flowable) or v == "" or v is None
                   for row in self._cellvalues for v in row)

    def _setting(self, c: int, r: int) -> list:
        """valign, align and the left, right, top and bottom paddings of one cell."""
        if not self.overrides:
            return self.base
        setting = list(self.base)
        for c0, r0, c1, r1, index, value in self.overrides:
            if c0 <= c <= c1 and r0 <= r <= r1:
                setting[index] = value
        return setting

    # -- Table when it must split, or for what a Grid does not draw --------------------------
    def table(self) -> Table:
        if self._table is None:
            self._table = Table(self._cellvalues, colWidths=self.col_widths,
                                rowHeights=self.row_heights, repeatRows=self.repeat_rows,
                                splitInRow=self.split_in_row, style=TableStyle(self.commands))
            self._table.keepWithNext = getattr(self, "keepWithNext", 0)
        return self._table

    def kept(self) -> Grid:
        """Kept on one sheet when it fits on one, as ``KeepTogether([grid])`` keeps it, but
        without that wrapper's second layout pass (it sizes its content on a copy of the
        frame, then always asks to be split)."""
        self.keep_together = True
        return self

    def split(self, availWidth: float, availHeight: float) -> list:
        frame = getattr(self, "_frame", None)
        if self.keep_together and frame is not None and not frame._atTop:
            return []   # not splittable here: the document moves it whole to the next sheet
        return self.table().split(availWidth, availHeight)

    # -- size ---------------------------------------------------------------------------------
    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if not self._simple:
            return self.table().wrapOn(getattr(self, "canv", None), availWidth, availHeight)
        if not self._sized:   # absolute widths: the size never depends on the space offered
            self._size()
        return self.width, self.height

    def _size(self) -> None:
        positions, x = [0], 0
        for w in self.col_widths:
            x = x + w
            positions.append(x)
        self.cols, self.width = positions, x
        canv = getattr(self, "canv", None)
        heights, self.geometry = [], {}
        for r, row in enumerate(self._cellvalues):
            tallest = 0
            for c, value in enumerate(row):
                setting = self._setting(c, r)
                _valign, _align, lp, rp, tp, bp = setting
                if (c, r) in self.hidden:
                    # Table skips a flowable under a span, but still counts an empty
                    # string there as one line of its default type.
                    if not isinstance(value, Flowable):
                        tallest = max(tallest, _DEFAULT.leading + bp + tp)
                    continue
                width = positions[self.spans.get((c, r), c) + 1] - positions[c]
                if isinstance(value, Flowable):
                    w, h = value.wrapOn(canv, width - lp - rp, 72000 - tp - bp)
                    self.geometry[(c, r)] = (w, h, setting)
                else:
                    h = _DEFAULT.leading
                tallest = max(tallest, h + bp + tp)
            fixed = self.row_heights[r]
            heights.append(tallest if fixed is None else fixed)
        # Row positions from the bottom, summed as Table sums them (compensated).
        rows, height, carry = [], 0, 0
        for h in reversed(heights):
            rows.append(height)
            y = h - carry
            t = height + y
            carry = (t - height) - y
            height = t
        rows.append(height)
        rows.reverse()
        self.rows, self.heights, self.height = rows, heights, height
        self._sized = True

    # -- drawing ------------------------------------------------------------------------------
    def draw(self) -> None:
        if not self._simple:
            self.table().drawOn(self.canv, 0, 0)
            return
        c = self.canv
        c.saveState()
        for c0, r0, c1, r1, colour in self.backgrounds:
            x0, y0 = self.cols[c0], self.rows[r0]
            c.setFillColor(colour)
            c.rect(x0, y0, self.cols[min(c1 + 1, self.ncols)] - x0,
                   self.rows[min(r1 + 1, self.nrows)] - y0, stroke=0, fill=1)
        c.setFillColor(colors.black)
        self._draw_cells(c)
        self._draw_lines(c)
        c.restoreState()

    def _draw_cells(self, c) -> None:
        text, font, colour = None, None, None
        for r, row in enumerate(self._cellvalues):
            bottom, row_height = self.rows[r + 1], self.heights[r]
            for col, value in enumerate(row):
                if (col, r) in self.hidden or not isinstance(value, Flowable):
                    continue
                w, h, (valign, align, lp, rp, tp, bp) = self.geometry[(col, r)]
                left = self.cols[col]
                width = self.cols[self.spans.get((col, r), col) + 1] - left
                if valign == "TOP":
                    y = bottom + row_height - tp - h
                elif valign == "BOTTOM":
                    y = bottom + bp + h - h   # as Table computes it, to the last bit
                else:
                    y = bottom + (row_height + bp - tp + h) / 2 - h
                if align == "RIGHT":
                    x = left + width - rp - w
                elif align == "CENTER":
                    x = left + (width + lp - rp - w) / 2
                else:
                    x = left + lp
                if isinstance(value, Cell) and not value.one_line:
                    value = value.paragraph   # drawn straight, in one saved state fewer
                elif isinstance(value, Cell):
                    if text is None:
                        text, font, colour = c.beginText(), None, None
                    st = value.style
                    if font != (st.fontName, st.fontSize):
                        font = (st.fontName, st.fontSize)
                        text.setFont(*font)
                    if colour is not st.textColor:   # the styles are shared objects
                        colour = st.textColor
                        text.setFillColor(colour)
                    value.write(text, x, y)
                    continue
                if text is not None:
                    c.drawText(text)
                    text = None
                value.drawOn(c, x, y)
        if text is not None:
            c.drawText(text)

    def _draw_lines(self, c) -> None:
        c.saveState()
        c.setLineCap(1)
        c.setLineJoin(1)
        weight = colour = None
        cols, rows = self.cols, self.rows
        blocked: dict[int, list[tuple[float, float]]] = {}
        for (c0, r0), c1 in self.spans.items():
            for col in range(c0 + 1, c1 + 1):
                blocked.setdefault(col, []).append((rows[r0 + 1], rows[r0]))
        for op, c0, r0, c1, r1, width, ink in self.lines:
            if ink != colour:
                c.setStrokeColor(ink)
                colour = ink
            if width != weight:
                c.setLineWidth(width)
                weight = width
            left, right, top, bottom = cols[c0], cols[c1 + 1], rows[r0], rows[r1 + 1]
            if op == "LINEBELOW":
                across, down = range(r0 + 1, r1 + 2), ()
            elif op == "LINEABOVE":
                across, down = range(r0, r1 + 1), ()
            elif op == "BOX":
                across, down = (r0, r1 + 1), (c0, c1 + 1)
            elif op == "INNERGRID":
                across, down = range(r0 + 1, r1 + 1), range(c0 + 1, c1 + 1)
            else:   # GRID: the box, then the inner lines
                across = [r0, r1 + 1, *range(r0 + 1, r1 + 1)]
                down = [c0, c1 + 1, *range(c0 + 1, c1 + 1)]
            for r in across:
                c.line(left, rows[r], right, rows[r])
            for col in down:
                _vertical(c, cols[col], bottom, top, blocked.get(col))
        c.restoreState()


def _vertical(c, x: float, bottom: float, top: float, blocks) -> None:
    """A rule from ``bottom`` to ``top`` with gaps where a spanned cell covers it."""
    if not blocks:
        c.line(x, bottom, x, top)
        return
    start = bottom
    for low, high in sorted(blocks):
        if high <= start + _FUZZ or low >= top - _FUZZ:
            continue
        if low > start:
            c.line(x, start, x, low)
        start = max(start, high)
    if start < top - _FUZZ:
        c.line(x, start, x, top)
