"""The weekly report sees the pattern: the week's batches, hot key words and subjects against
the week before, cases per category per day, and complaints against staff members."""
from __future__ import annotations

import io
from datetime import timedelta

from desk.reports.files import write_report
from desk.reports.pdf import render_report
from desk.reports.stats import week_stats
from tests.helpers import T0, new_case

SHOE = "鞋子穿兩天就開膠，鞋底整片脫落"


def test_the_week_shows_batches_hot_topics_surge_and_staff(tmp_path, store, policy, team):
    monday = T0 - timedelta(days=6)              # T0 is a Sunday: the week of 16-22 Nov
    new_case(store, policy, team.clerk, now=monday - timedelta(days=3),
             complaint="停車場收費太貴", customer_phone="0922-000-001", subject_name="停車場",
             subject_kind="facility", category="facility")
    for n in range(3):
        new_case(store, policy, team.clerk, now=T0 - timedelta(days=n, hours=1),
                 customer_name=f"顧客{n}", customer_phone=f"0912-000-{n:03d}", complaint=SHOE)
    new_case(store, policy, team.clerk, now=T0 - timedelta(days=4), category="service_attitude",
             subject_kind="staff", subject_name=None, subject_staff=team.clerk2.staff_no,
             complaint="服務台人員態度冷淡", customer_phone="0933-000-000")
    with store.read() as session:
        stats = week_stats(session, policy, T0.date())
    p = stats.patterns
    assert len(p.batches) == 1 and p.cases_in_batches == 3
    assert p.hot_subjects[0].key == "好鞋坊" and (p.hot_subjects[0].this, p.hot_subjects[0].last) == (3, 0)
    words = [h.key for h in p.hot_words]
    assert any("開膠" in w for w in words), words     # as the clerk wrote it, grown into a phrase
    assert [s.name for s in p.against_staff] == [team.clerk2.name]
    assert dict(p.surge)["goods_rights"] == (0, 0, 0, 0, 1, 1, 1)
    from pypdf import PdfReader
    pdf = render_report(stats, policy, locale="zh_TW")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert p.batches[0].batch_no in text and "開膠" in text and team.clerk2.name in text
    files = write_report(stats, policy, tmp_path / "week.csv", locale="en")
    names = {f.name for f in files}
    assert {"week-batches.csv", "week-hot_words.csv", "week-surge.csv",
            "week-against_staff.csv"} <= names
