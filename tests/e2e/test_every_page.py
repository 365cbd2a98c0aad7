"""Every signed-in page of the demo, at a phone, a tablet and a laptop size.

Generated from the URL resolver (the tenancy test's DISTRICT_URLS), so a page added tomorrow is
visited tomorrow. Each page is checked for horizontal overflow, axe WCAG 2.2 A/AA, touch targets
(tablet and phone) and, on the Spanish pass, English sentences the catalogue translates. What is
not an HTML page (a download, a POST-only action, an htmx fragment) is skipped by what the server
answers, never by a hand-kept list; anything else that is not visited fails the test.
"""

import ast
import io
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Invitation, Membership
from benchmarking.models import (
    BuildingBlock,
    DiscoveryAnalysis,
    Evidence,
    Framework,
    Indicator,
    Level,
    Rating,
    Recommendation,
)
from comments.models import Comment, Notification
from core.models import Campus, District
from district_plan.models import (
    CampusGoal,
    CampusPlan,
    CampusPlanSnapshot,
    CampusStrategy,
    Competency,
    FocusArea,
    Goal,
    Measure,
    MeasureValue,
    Partner,
    PerformanceObjective,
    Plan,
    PlanSnapshot,
    Strategy,
)
from learning.models import Offering, Session
from meetings.models import Decision, Material, Meeting
from public.models import Feedback
from tests.core.test_tenancy import DEFAULTS, DISTRICT_URLS
from tests.e2e.conftest import ARTIFACTS, assert_accessible, sign_in, small_touch_targets
from tests.factories import InvitationFactory, ReportFactory
from theories.models import Action, Strand, TheoryOfAction
from visits.models import ActionItem, Visit, VisitProgram

SIZES = {
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "has_touch": True,
        "is_mobile": True,
    },
    "tablet": {"viewport": {"width": 768, "height": 1024}, "has_touch": True},
    "laptop": {"viewport": {"width": 1366, "height": 768}},
}
TOUCH_SIZES = {"phone", "tablet"}

PARTS = {
    "competency": Competency,
    "goal": Goal,
    "focus-area": FocusArea,
    "strategy": Strategy,
    "partner": Partner,
}


def _report(district):
    # The demo requests no report; one finished report gives its pages something to show.
    name = default_storage.save("reports/every-page.pdf", ContentFile(b"%PDF-1.7"))
    return ReportFactory(district=district, status="ready", file=name).pk


def _evidence_with_file(district):
    # The demo's evidence carries no attachment; its download needs one to answer at all.
    record = Evidence.objects.filter(district=district).order_by("pk").first()
    if record is not None and not record.file:
        record.file.save("every-page.pdf", ContentFile(b"%PDF-1.7"))
    return record and record.pk


def _material_with_file(district):
    # The demo attaches no material to its meetings; the download needs one to answer at all.
    meeting = Meeting.objects.filter(district=district).order_by("pk").first()
    record = Material(district=district, meeting=meeting, file_name="agenda.pdf")
    record.file.save("every-page.pdf", ContentFile(b"%PDF-1.7"))
    return record.pk


def _first(queryset):
    return queryset.order_by("pk").values_list("pk", flat=True).first()


CAMPUS_PARTS = {
    "campus-goal": CampusGoal,
    "objective": PerformanceObjective,
    "campus-strategy": CampusStrategy,
}


# The demo's own record for each URL parameter: the fullest one where it matters (a visit with
# observations and action items, a theory with actions), so the page shows what it can.
DEMO_PARAMETERS = {
    "campus_pk": lambda d, defaults: _first(Campus.objects.filter(district=d)),
    "membership_pk": lambda d, defaults: _first(
        Membership.objects.filter(district=d, user__email="cabinet@demo.test")
    ),
    # The demo invites no one; one pending invitation gives its pages something to show.
    "invitation_pk": lambda d, defaults: (
        _first(Invitation.objects.filter(district=d))
        or InvitationFactory(district=d, email="newcomer@demo.test", full_name="Newcomer").pk
    ),
    "plan_pk": lambda d, defaults: _first(Plan.objects.filter(district=d)),
    "snapshot_pk": lambda d, defaults: _first(PlanSnapshot.objects.filter(district=d)),
    "part_pk": lambda d, defaults: _first(PARTS[defaults["kind"]].objects.filter(district=d)),
    "measure_pk": lambda d, defaults: _first(
        Measure.objects.filter(district=d, values__isnull=False)
    ),
    "value_pk": lambda d, defaults: _first(MeasureValue.objects.filter(district=d)),
    "strand_pk": lambda d, defaults: _first(Strand.objects.filter(district=d)),
    "theory_pk": lambda d, defaults: _first(
        TheoryOfAction.objects.filter(district=d, actions__isnull=False)
    ),
    "action_pk": lambda d, defaults: _first(Action.objects.filter(district=d)),
    "framework_pk": lambda d, defaults: _first(Framework.objects.filter(district=d)),
    "analysis_pk": lambda d, defaults: _first(DiscoveryAnalysis.objects.filter(district=d)),
    "recommendation_pk": lambda d, defaults: _first(Recommendation.objects.filter(district=d)),
    "evidence_pk": lambda d, defaults: _evidence_with_file(d),
    # The admin's own rating: they open every page, and a rating is edited by its rater.
    "rating_pk": lambda d, defaults: _first(
        Rating.objects.filter(district=d, rater__email=DEFAULT_ACCOUNT)
    ),
    "level_pk": lambda d, defaults: _first(Level.objects.filter(framework__district=d)),
    "block_pk": lambda d, defaults: _first(BuildingBlock.objects.filter(framework__district=d)),
    "indicator_pk": lambda d, defaults: _first(
        Indicator.objects.filter(building_block__framework__district=d)
    ),
    "report_pk": lambda d, defaults: _report(d),
    "program_pk": lambda d, defaults: _first(VisitProgram.objects.filter(district=d)),
    "visit_pk": lambda d, defaults: _first(
        Visit.objects.filter(district=d, observations__isnull=False, action_items__isnull=False)
    ),
    "item_pk": lambda d, defaults: _first(ActionItem.objects.filter(district=d)),
    # The retreat: its decisions link to a goal, a theory and a recommendation.
    "meeting_pk": lambda d, defaults: _first(
        Meeting.objects.filter(district=d, decisions__isnull=False, facilitator__isnull=True)
    ),
    "decision_pk": lambda d, defaults: _first(Decision.objects.filter(district=d)),
    "material_pk": lambda d, defaults: _material_with_file(d),
    "language": lambda d, defaults: "es",
    "campus_plan_pk": lambda d, defaults: _first(
        CampusPlan.objects.filter(district=d, snapshots__isnull=False)
    ),
    "campus_snapshot_pk": lambda d, defaults: _first(CampusPlanSnapshot.objects.filter(district=d)),
    "campus_part_pk": lambda d, defaults: _first(
        CAMPUS_PARTS[defaults["kind"]].objects.filter(district=d)
    ),
    # The offering that keeps names, with participation and follow-up look-fors.
    "offering_pk": lambda d, defaults: _first(
        Offering.objects.filter(district=d, keeps_names=True, sessions__participants__isnull=False)
    ),
    "session_pk": lambda d, defaults: _first(Session.objects.filter(district=d)),
    # The comments page of the demo's commented theory, and the admin's own inbox line.
    "kind": lambda d, defaults: "theory",
    "record_pk": lambda d, defaults: _first(
        TheoryOfAction.objects.filter(
            district=d,
            pk__in=Comment.objects.filter(district=d, content_type__model="theoryofaction").values(
                "object_id"
            ),
        )
    ),
    "comment_pk": lambda d, defaults: _first(Comment.objects.filter(district=d)),
    "notification_pk": lambda d, defaults: _first(
        Notification.objects.filter(district=d, recipient__email=DEFAULT_ACCOUNT)
    ),
    # A message waiting for an answer, with an email address: its page shows every form.
    "feedback_pk": lambda d, defaults: _first(
        Feedback.objects.filter(district=d, answered_at__isnull=True).exclude(email="")
    ),
}

# Pages that need to be told what a new record belongs to, as the page linking to them does.
DEMO_QUERY = {
    "plan:measure_new": lambda d: f"?goal={_first(Goal.objects.filter(district=d))}",
    "plan:strategy_new": lambda d: f"?focus_area={_first(FocusArea.objects.filter(district=d))}",
    "plan:campus_plan_new": lambda d: f"?campus={_first(Campus.objects.filter(district=d))}",
    "plan:campus-goal_new": lambda d: (
        f"?campus_plan={_first(CampusPlan.objects.filter(district=d))}"
    ),
    "plan:campus-strategy_new": lambda d: (
        f"?campus_plan={_first(CampusPlan.objects.filter(district=d))}"
    ),
    "plan:objective_new": lambda d: f"?campus_goal={_first(CampusGoal.objects.filter(district=d))}",
    **{
        f"plan:{kind}_new": lambda d: f"?plan={_first(Plan.objects.filter(district=d))}"
        for kind in ("competency", "goal", "focus-area", "partner")
    },
}

# Who opens a page: the district admin may see every page; a page only another role reaches
# would be named here with that role's demo account.
# A comment's own pages open for its author: the demo's first comment is the board member's.
ROLE_FOR_PAGE = {"comments:comment": "board@demo.test", "comments:delete": "board@demo.test"}
DEFAULT_ACCOUNT = "admin@demo.test"


def demo_urls(district):
    """(url name, address or None when the demo has no record for a parameter)."""
    urls = []
    for name, parameters in DISTRICT_URLS:
        kwargs = {p: DEMO_PARAMETERS[p](district, DEFAULTS[name]) for p in parameters}
        if any(value is None for value in kwargs.values()):
            urls.append((name, None))
            continue
        url = reverse(name, kwargs={"district_slug": district.slug, **kwargs})
        urls.append((name, url + (DEMO_QUERY[name](district) if name in DEMO_QUERY else "")))
    return urls


# --- The Spanish marker check -------------------------------------------------------------

PO_FILE = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")


def _po_string(lines):
    return "".join(
        bytes(line.strip()[1:-1], "utf-8").decode("unicode_escape").encode("latin-1").decode()
        for line in lines
    )


def translated_msgids(path=PO_FILE):
    """English strings the catalogue gives a different, non-empty Spanish for (fuzzy ones too:
    Django skips them, so they show in English)."""
    found = set()
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        fields, current = {}, None
        for line in lines:
            if line.startswith("#"):
                continue
            keyword = re.match(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) ", line)
            if keyword:
                current = keyword.group(1)
                fields[current] = [line[keyword.end() :]]
            elif current and line.startswith('"'):
                fields[current].append(line)
        strings = {key: _po_string(value) for key, value in fields.items()}
        english = [strings.get("msgid", ""), strings.get("msgid_plural", "")]
        spanish = [value for key, value in strings.items() if key.startswith("msgstr")]
        if not english[0] or not any(spanish):
            continue
        for text in english:
            if text and text not in spanish:
                found.add(" ".join(text.split()))
    return found


def _demo_data_strings():
    """Every string literal of the demo seed (each app's demo.py): what the district wrote stays
    in English on the Spanish interface, and may happen to spell an interface string (the demo
    analysis is called "Discovery Analysis")."""
    strings = set()
    for module in Path(settings.BASE_DIR).glob("*/demo.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        strings |= {
            " ".join(node.value.split())
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
        }
    return strings


def english_markers():
    """Whole texts that, seen on the Spanish interface, are English the catalogue translates.
    A single word can be a name or data as easily as interface, so only texts with two English
    words or more outside their placeholders count; a placeholder matches any text."""
    data = _demo_data_strings()
    exact, patterns = set(), []
    for text in translated_msgids() - data:
        literal = PLACEHOLDER.sub("", text)
        words = re.findall(r"[A-Za-z]+", literal)
        if len(words) < 2 or not any(len(word) > 2 for word in words):
            continue
        if PLACEHOLDER.search(text):
            parts = [re.escape(part) for part in PLACEHOLDER.split(text)]
            patterns.append(".+?".join(parts))
        else:
            exact.add(text)
    return exact, [re.compile(pattern) for pattern in patterns]


# Text nodes and the texts people hear (labels, titles, placeholders), outside anything marked
# as written in English by the district (lang="en") and outside scripts.
PAGE_TEXTS = """() => {
  const texts = [];
  const skip = el => {
    if (el.closest('script, style, noscript, template')) return true;
    const marked = el.closest('[lang]');
    return marked !== document.documentElement && !marked.lang.startsWith('es');
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!skip(node.parentElement)) texts.push(node.textContent);
  }
  for (const el of document.querySelectorAll(
      '[aria-label], [title], [placeholder], [alt], input[type=submit], input[type=button]')) {
    if (skip(el)) continue;
    for (const name of ['aria-label', 'title', 'placeholder', 'alt', 'value']) {
      if (el.hasAttribute(name) && (name !== 'value' || el.type === 'submit' || el.type === 'button'))
        texts.push(el.getAttribute(name));
    }
  }
  texts.push(document.title);
  return texts;
}"""


def english_on(page, markers):
    exact, patterns = markers
    found = []
    for raw in page.evaluate(PAGE_TEXTS):
        text = " ".join(raw.split())
        if text in exact or any(pattern.fullmatch(text) for pattern in patterns):
            found.append(text)
    return sorted(set(found))


# --- The walk ---------------------------------------------------------------------------------

OVERFLOW = """() => ({width: document.documentElement.scrollWidth, viewport: window.innerWidth,
  widest: [...document.body.querySelectorAll('*')]
    .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
    .filter(el => !el.closest('.table-wrap, [data-scrolls]'))
    .map(el => el.tagName.toLowerCase() + (el.className && typeof el.className === 'string'
      ? '.' + el.className.trim().split(/\\s+/).join('.') : ''))
    .slice(-3)})"""


SMALL_SUMMARIES = """() => [...document.querySelectorAll('summary')]
  .filter(el => el.checkVisibility())
  .map(el => { const r = el.getBoundingClientRect();
    return {text: el.innerText.trim().slice(0, 40), width: Math.round(r.width),
            height: Math.round(r.height)}; })
  .filter(box => box.width < 44 || box.height < 44)"""


def classify(context, url):
    """'page', or why the address is knowingly not visited, or None when it should have been."""
    response = context.request.get(url, max_redirects=5)
    kind = response.headers.get("content-type", "")
    if response.status == 405:
        return "POST only"
    if response.status == 200 and "attachment" in response.headers.get("content-disposition", ""):
        return "download"
    if response.status == 200 and not kind.startswith("text/html"):
        return f"not HTML ({kind.split(';')[0]})"
    if response.status == 200 and "<html" not in response.text()[:500].lower():
        return "htmx fragment"
    if response.status == 200:
        return "page"
    return None


def check_page(page, name, url, size, markers):
    problems = []
    response = page.goto(url)
    if response is None or response.status != 200:
        return [f"answered {response and response.status}"]
    overflow = page.evaluate(OVERFLOW)
    if overflow["width"] > overflow["viewport"]:
        problems.append(
            f"scrolls sideways: {overflow['width']} px wide in {overflow['viewport']} px "
            f"(past the edge: {', '.join(overflow['widest'])})"
        )
    shot = f"every-page-{name.replace(':', '-')}-{size}"
    try:
        assert_accessible(page, shot, wcag=True)
    except AssertionError as failure:
        problems.append(f"axe: {failure}".replace("\n", "\n      "))
    if size in TOUCH_SIZES:
        # A <details> toggle is tapped like a button; the shared helper does not measure it.
        small = small_touch_targets(page) + page.evaluate(SMALL_SUMMARIES)
        if small:
            problems.append(
                "touch targets under 44 px: "
                + "; ".join(f"{b['text']!r} {b['width']}x{b['height']}" for b in small[:8])
                + (f" (and {len(small) - 8} more)" if len(small) > 8 else "")
            )
    if markers:
        english = english_on(page, markers)
        if english:
            problems.append(f"English on the Spanish page: {english[:10]}")
    if problems:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{shot}.png"), full_page=True)
    return problems


# The phone pass is read in Spanish: its words are longer, the narrowest screen is where they
# break a layout first, and it is where untranslated English is looked for.
PASSES = [("phone", "es"), ("tablet", "en"), ("laptop", "en")]


@pytest.mark.parametrize(("size", "language"), PASSES, ids=[p[0] for p in PASSES])
def test_every_signed_in_page_fits_is_accessible_and_speaks_the_language(
    browser, live_server, transactional_db, size, language
):
    call_command("seed_demo", size="small", stdout=io.StringIO())
    district = District.objects.get(slug="demo")
    urls = demo_urls(district)
    markers = english_markers() if language == "es" else None

    contexts, blocked = {}, []

    def context_for(account):
        if account not in contexts:
            # Signed in in English; the language is then chosen as the footer's switch does.
            context = browser.new_context(base_url=live_server.url, locale="en-US", **SIZES[size])
            context.set_default_timeout(15_000)
            context.on(
                "console",
                lambda m: "Content Security Policy" in m.text and blocked.append(m.text),
            )
            page = context.new_page()
            sign_in(page, account)
            page.wait_for_url(re.compile(r"/d/"))
            context.add_cookies(
                [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
            )
            contexts[account] = (context, page)
        return contexts[account]

    # EVERY_PAGE_ONLY=plan: (a regular expression on url names) walks a few pages while fixing.
    only = os.environ.get("EVERY_PAGE_ONLY")
    failures, skipped, unvisited, visited = [], {}, [], 0
    try:
        for name, url in urls:
            if only and not re.search(only, name):
                continue
            if url is None:
                unvisited.append(f"{name}: the demo has no record for one of its parameters")
                continue
            context, page = context_for(ROLE_FOR_PAGE.get(name, DEFAULT_ACCOUNT))
            kind = classify(context, url)
            if kind is None:
                unvisited.append(f"{name} ({url}): neither a page nor a download")
            elif kind != "page":
                skipped[name] = kind
            else:
                visited += 1
                failures += [
                    f"{name} {url}\n    {p}" for p in check_page(page, name, url, size, markers)
                ]
    finally:
        for context, _ in contexts.values():
            context.close()

    report = [f"{len(failures)} problems on {visited} pages at {size} ({language}):", *failures]
    if unvisited:
        report += ["Neither visited nor knowingly skipped:", *unvisited]
    if blocked:
        report += ["Blocked by the Content-Security-Policy:", *blocked]
    assert only or visited > 60, f"Only {visited} pages visited; skipped: {skipped}"
    assert len(failures) + len(unvisited) + len(blocked) == 0, "\n".join(report)


def test_english_markers_are_interface_strings_not_demo_data():
    exact, patterns = english_markers()
    assert "Skip to content" in exact
    assert any(p.fullmatch("Foxglove Middle School leadership team") for p in patterns)
    assert "Discovery Analysis" not in exact
    assert not exact & _demo_data_strings()
