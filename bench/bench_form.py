"""Benchmark: the three-part form against a bare ReportLab canvas drawing the same text.

    .venv/bin/python bench/bench_form.py [--runs 30] [--locale zh_TW] [--paper a4]

Both sides use the same registered TrueType font and draw the same strings (every label and
value of the form, once per copy) in the same run; the bare side just writes them line by
line on one page per copy with ``drawString`` and has no layout, tables or page furniture.
Goal (bench/goals.py, "form"): within 1.5x of the bare canvas in CPU time; also under
100 ms warm and under 100 KB.
"""
from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from reportlab.pdfgen.canvas import Canvas  # noqa: E402
from reportlab.platypus import KeepTogether, Paragraph, Table  # noqa: E402

from desk.forms import render_triplicate  # noqa: E402
from desk.forms.fonts import policy_font  # noqa: E402
from desk.forms.grid import Grid  # noqa: E402
from desk.forms.layout import paper_for  # noqa: E402
from desk.forms.sample import sample_detail  # noqa: E402
from desk.forms.story import Context, StoryBuilder  # noqa: E402
from desk.i18n import using_locale  # noqa: E402
from desk.policy import load_policy  # noqa: E402
from goals import GOALS  # noqa: E402
from timing import interleaved, load_average  # noqa: E402

COPIES = 3


def _strings(flowables) -> list[str]:
    out = []
    for item in flowables:
        if isinstance(item, KeepTogether):
            out += _strings(item._content)
        elif isinstance(item, (Table, Grid)):
            out += _strings(cell for row in item._cellvalues for cell in row)
        elif isinstance(item, Paragraph):
            out.append(item.getPlainText())
        elif isinstance(getattr(item, "text", None), str):     # a one-line table cell
            out.append(item.text)
        elif isinstance(item, (list, tuple)):
            out += _strings(item)
        elif isinstance(item, str) and item:
            out.append(item)
    return out


def form_strings(detail, policy, locale: str, paper: str) -> list[str]:
    p = paper_for(paper)
    ctx = Context(policy_font(policy), p.frame_width, policy.currency, policy.tz, locale)
    with using_locale(locale):
        return _strings(StoryBuilder(detail, ctx).build())


def bare_canvas(lines: list[str], font: str, paper: str) -> bytes:
    p = paper_for(paper)
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=(p.width, p.height), initialFontName=font)
    for _copy in range(COPIES):
        c.setFont(font, 8)
        y = p.height - p.top
        for text in lines:
            for start in range(0, max(len(text), 1), 90):
                c.drawString(p.side, y, text[start:start + 90])
                y -= 9
                if y < p.bottom:
                    c.showPage()
                    c.setFont(font, 8)
                    y = p.height - p.top
        c.showPage()
    c.save()
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--locale", default="zh_TW")
    parser.add_argument("--paper", default="a4")
    args = parser.parse_args()
    policy = load_policy()
    start = time.perf_counter()
    font = policy_font(policy)
    font_ms = (time.perf_counter() - start) * 1000
    detail = sample_detail(args.locale)
    lines = form_strings(detail, policy, args.locale, args.paper)
    start = time.perf_counter()
    render_triplicate(detail, policy, printed_by="C001", locale=args.locale, paper=args.paper)
    cold_ms = (time.perf_counter() - start) * 1000

    pdf = render_triplicate(detail, policy, printed_by="C001", locale=args.locale, paper=args.paper)
    bare = bare_canvas(lines, font, args.paper)
    ours, theirs = interleaved(args.runs,
                               lambda: render_triplicate(detail, policy, printed_by="C001",
                                                         locale=args.locale, paper=args.paper),
                               lambda: bare_canvas(lines, font, args.paper))
    med = {"form": ours.wall_ms, "form_cpu": ours.cpu_ms,
           "bare": theirs.wall_ms, "bare_cpu": theirs.cpu_ms}
    print(f"locale {args.locale}, paper {args.paper}, {args.runs} runs each (interleaved), "
          f"{len(lines)} strings per copy")
    print(f"font load (once per process)   {font_ms:7.1f} ms")
    print(f"first form (cold)              {cold_ms:7.1f} ms")
    print("                               median wall  median CPU   size")
    print(f"triplicate form                {med['form']:8.1f} ms {med['form_cpu']:8.1f} ms "
          f"{len(pdf) / 1024:6.1f} KB")
    print(f"bare canvas, same text         {med['bare']:8.1f} ms {med['bare_cpu']:8.1f} ms "
          f"{len(bare) / 1024:6.1f} KB")
    print(f"ratio form / bare              {med['form'] / med['bare']:8.2f} x  "
          f"{med['form_cpu'] / med['bare_cpu']:8.2f} x")
    import summary
    entry = summary.add(f"form: {args.locale} {args.paper}",
                        f"triplicate form PDF, {args.locale}, {args.paper}, 3 copies",
                        goal="form", cpu=ours.cpu, wall=ours.wall, bare_cpu=theirs.cpu,
                        bare_wall=theirs.wall, load=load_average(),
                        baseline_name="bare ReportLab canvas, same text and font")
    print(f"goal {GOALS['form'].text()}: {summary.verdict(entry) or 'no verdict'}")


if __name__ == "__main__":
    main()
