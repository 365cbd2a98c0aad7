"""An unbroken 300-character word typed into the plan wraps on a phone instead of widening the
page: signed in, and on the public page families read."""

from district_plan.documents import public_document
from district_plan.models import Goal, Plan
from public.selectors import fingerprint
from public.services import plan_publish
from tests.e2e.conftest import sign_in
from theories.models import TheoryOfAction
from visits.models import ProblemOfPractice, Visit

WORD = "Reading" * 43  # 301 letters, no space to break at


def _long_words_everywhere():
    plan = Plan.objects.get(district__slug="demo", status="adopted")
    goal = Goal.objects.filter(plan=plan, status="adopted").order_by("pk").first()
    Goal.objects.filter(pk=goal.pk).update(title=WORD[:300])
    theory = TheoryOfAction.objects.filter(district__slug="demo", status="adopted").first()
    TheoryOfAction.objects.filter(pk=theory.pk).update(if_clause=WORD, owner=WORD[:100])
    visit = Visit.objects.filter(district__slug="demo", status="debriefed").order_by("pk").first()
    problem = ProblemOfPractice.objects.filter(district__slug="demo").first()
    ProblemOfPractice.objects.filter(pk=problem.pk).update(name=WORD[:200])
    visit.problems.add(problem)
    plan_publish(plan=plan, user=None, reviewed=fingerprint(public_document(plan)))
    return theory, visit


def _width(page):
    return page.evaluate("document.documentElement.scrollWidth")


def test_a_300_character_word_wraps_on_every_page_it_reaches_on_a_phone(browser, live_server, demo):
    theory, visit = _long_words_everywhere()
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        has_touch=True,
        is_mobile=True,
    )
    page = context.new_page()
    sign_in(page, "admin@demo.test")
    widths = {}
    for url in (
        "/d/demo/",
        "/d/demo/plan/",
        "/d/demo/theories/",
        f"/d/demo/theories/{theory.pk}/",
        f"/d/demo/visits/{visit.pk}/",
        "/d/demo/visits/trends/",
        "/p/demo/en/",
        "/p/demo/es/",
    ):
        page.goto(url)
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        widths[url] = _width(page)
    context.close()
    assert widths == dict.fromkeys(widths, 390)


def test_a_long_problem_of_practice_fits_the_visit_page_on_a_tablet(browser, live_server, demo):
    _, visit = _long_words_everywhere()
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 768, "height": 1024}, has_touch=True
    )
    page = context.new_page()
    sign_in(page, "admin@demo.test")
    page.goto(f"/d/demo/visits/{visit.pk}/")
    assert _width(page) == 768
    context.close()
