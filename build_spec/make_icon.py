"""Draw the program's icon (a speech bubble with a tick on the counter's teal) into
resources/icons/: a 256 px PNG for the window and a multi-size .ico for Windows.

    python build_spec/make_icon.py

Drawn in code so that it can be changed and redrawn without an image editor; the results
are committed, so building never needs this script.
"""
from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "resources" / "icons"
SIZE = 1024                     # drawn large, scaled down smoothly
TEAL, WHITE, GOLD = (19, 94, 110, 255), (255, 255, 255, 255), (245, 176, 38, 255)


def draw() -> Image.Image:
    s = SIZE
    image = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle((0.04 * s, 0.04 * s, 0.96 * s, 0.96 * s), radius=0.2 * s, fill=TEAL)
    # the bubble and its tail
    pen.rounded_rectangle((0.17 * s, 0.2 * s, 0.83 * s, 0.68 * s), radius=0.1 * s, fill=WHITE)
    pen.polygon([(0.3 * s, 0.64 * s), (0.46 * s, 0.64 * s), (0.26 * s, 0.82 * s)], fill=WHITE)
    # three lines of what the customer said
    for row, length in enumerate((0.44, 0.36, 0.24)):
        y = (0.31 + row * 0.11) * s
        pen.rounded_rectangle((0.27 * s, y, (0.27 + length) * s, y + 0.05 * s),
                              radius=0.025 * s, fill=TEAL)
    # the tick: the complaint was handled
    pen.ellipse((0.6 * s, 0.56 * s, 0.9 * s, 0.86 * s), fill=GOLD)
    pen.line([(0.67 * s, 0.71 * s), (0.73 * s, 0.78 * s), (0.83 * s, 0.64 * s)],
             fill=WHITE, width=int(0.04 * s), joint="curve")
    return image


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    image = draw()
    image.resize((256, 256), Image.LANCZOS).save(OUT / "complaint-desk.png")
    image.save(OUT / "complaint-desk.ico",
               sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)])
    print(f"wrote {OUT / 'complaint-desk.png'} and {OUT / 'complaint-desk.ico'}")


if __name__ == "__main__":
    main()
