"""The acknowledgement slip on an 80 mm ESC/POS receipt printer (python-escpos, imported only
when a slip is printed this way).

Chinese text is printed as a picture: the slip's words are drawn with the form's embedded
TrueType font into a 1-bit image 576 dots wide (72 mm at 203 dpi) and sent as a raster
image (GS v 0). Code pages for Chinese (Big5, GB18030) differ by printer model and are
missing from most of python-escpos's profiles, so text mode would print question marks or
the wrong script on many printers; a picture prints the same on every one. The case number
is also sent as text (double size, ASCII, any printer) and as the printer's own QR code.

A printer is named by a target: ``usb:VID:PID`` (hexadecimal IDs), ``network:HOST[:PORT]``
(port 9100 by default), ``file:PATH`` (a device file such as a Windows share's port or
``/dev/usb/lp0``, or an ordinary file to keep the bytes).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from desk.errors import N_, ValidationError
from desk.forms.slip import SlipContent

DOTS = 576
KINDS = ("usb", "network", "file")


@dataclass(frozen=True)
class PrinterTarget:
    kind: str                       # usb, network or file
    address: str                    # VID:PID, HOST:PORT or a path

    def __str__(self) -> str:
        return f"{self.kind}:{self.address}"


def parse_target(text: object, field: str = "printer") -> PrinterTarget:
    """A printer target from its text; a wrong one is refused, naming ``field``."""
    kind, _sep, rest = str(text or "").strip().partition(":")
    kind = kind.lower()
    if kind not in KINDS or not rest.strip():
        raise ValidationError(N_("name the receipt printer as usb:VID:PID, network:HOST[:PORT] "
                                 "or file:PATH"), field=field)
    rest = rest.strip()
    if kind == "usb":
        parts = rest.split(":")
        try:
            ids = [int(p, 16) for p in parts]
        except ValueError:
            ids = []
        if len(ids) != 2 or not all(0 < i <= 0xFFFF for i in ids):
            raise ValidationError(N_("a USB printer needs its vendor and product IDs in "
                                     "hexadecimal, like usb:04b8:0202"), field=field)
        rest = f"{ids[0]:04x}:{ids[1]:04x}"
    elif kind == "network":
        host, _sep, port = rest.rpartition(":") if ":" in rest else (rest, "", "9100")
        if not port.isdigit() or not 0 < int(port) < 65536 or not host:
            raise ValidationError(N_("a network printer needs a host and a port from 1 to "
                                     "65535, like network:192.168.1.50:9100"), field=field)
        rest = f"{host}:{int(port)}"
    return PrinterTarget(kind, rest)


def open_printer(target: PrinterTarget):
    """The python-escpos printer for ``target`` (the library loads here, when first used)."""
    from escpos import printer
    if target.kind == "usb":
        vendor, product = (int(p, 16) for p in target.address.split(":"))
        return printer.Usb(vendor, product)
    if target.kind == "network":
        host, _sep, port = target.address.rpartition(":")
        return printer.Network(host, int(port), timeout=10)
    return printer.File(target.address)


def _text_image(lines: list[tuple[str, int]], font_path: Path, font_index: int):
    """Lines of (text, size in dots) drawn black on white, wrapped to the paper's width."""
    from PIL import Image, ImageDraw, ImageFont
    rows: list[tuple[str, object, int]] = []
    for text, size in lines:
        font = ImageFont.truetype(str(font_path), size, index=font_index)
        for line in _wrap(text, font):
            rows.append((line, font, size))
    height = sum(int(size * 1.3) for _t, _f, size in rows) + 8
    image = Image.new("1", (DOTS, height), 1)
    draw = ImageDraw.Draw(image)
    y = 4
    for line, font, size in rows:
        draw.text((8, y), line, font=font, fill=0)
        y += int(size * 1.3)
    return image


def _wrap(text: str, font) -> list[str]:
    out, line = [], ""
    for ch in text:
        if ch == "\n" or font.getlength(line + ch) > DOTS - 16:
            out.append(line)
            line = "" if ch == "\n" else ch
        else:
            line += ch
    return out + [line] if line or not out else out


def print_slip(content: SlipContent, device, font_path: Path, font_index: int = 0) -> None:
    """Send the slip to ``device`` (any python-escpos printer) and cut the paper."""
    head = [(content.mall, 26), (content.title, 34)]
    body = []
    for label, value in content.lines:
        if value == content.case_no:
            continue                      # printed below as text and QR code
        body += [(label, 20), (value, 26)]
    device.set(align="center")
    device.image(_text_image(head, font_path, font_index))   # full width: nothing to centre
    device.set(align="center", double_height=True, double_width=True, bold=True)
    device.text(content.case_no + "\n")
    device.set(align="left", normal_textsize=True, bold=False)
    device.image(_text_image(body, font_path, font_index))
    device.set(align="center")
    device.qr(content.case_no, native=True, size=7)
    device.set(align="left")
    device.image(_text_image([(content.note, 20), (content.footer, 18)], font_path,
                             font_index))
    device.cut()


__all__ = ["PrinterTarget", "open_printer", "parse_target", "print_slip"]
