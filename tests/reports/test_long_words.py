"""An unbroken 300-character word in the plan wraps inside the PDF's paper instead of running
tens of thousands of points off its edge."""

import pytest
from weasyprint import HTML

from dashboard.demo import seed_demo
from district_plan.models import Goal
from reports.models import Report
from reports.rendering import STATIC_BASE, StaticOnlyFetcher, report_html
from theories.models import TheoryOfAction
from visits.models import ProblemOfPractice, Visit

WORD = "Reading" * 43  # 301 letters, no space to break at


@pytest.fixture
def demo_with_long_words(db, media):
    seed_demo(size="small")
    Goal.objects.filter(district__slug="demo", status="adopted").update(title=WORD[:300])
    TheoryOfAction.objects.filter(district__slug="demo").update(if_clause=WORD, owner=WORD[:200])
    for number, problem in enumerate(ProblemOfPractice.objects.filter(district__slug="demo")):
        ProblemOfPractice.objects.filter(pk=problem.pk).update(name=f"{number}{WORD}"[:200])
    visit = Visit.objects.filter(district__slug="demo", status="debriefed").order_by("pk").first()
    visit.problems.add(*ProblemOfPractice.objects.filter(district__slug="demo"))
    return visit


def _boxes(box):
    yield box
    for child in getattr(box, "children", None) or []:
        yield from _boxes(child)


def _widest_right_edge(html):
    document = HTML(string=html, base_url=STATIC_BASE, url_fetcher=StaticOnlyFetcher()).render()
    return [
        (page.width, max(b.position_x + b.margin_width() for b in _boxes(page._page_box)))
        for page in document.pages
    ]


@pytest.mark.parametrize("kind", ["board_summary", "visit"])
def test_a_300_character_word_stays_on_the_paper(demo_with_long_words, kind):
    report = Report.objects.create(
        district=demo_with_long_words.district,
        kind=kind,
        title="Long words",
        visit=demo_with_long_words if kind == "visit" else None,
    )
    html, _ = report_html(report)
    assert WORD[:150] in html
    for paper, right in _widest_right_edge(html):
        assert right <= paper + 0.5
