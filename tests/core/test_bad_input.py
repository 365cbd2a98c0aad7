"""Bad input on every district form and list, generated from the URL resolver like the tenancy
test, so a page added tomorrow is swept the day it is added.

Each form a page shows (as the district admin) is posted once per kind of bad value, with the
other fields left as the page filled them, so the bad value reaches the form's and the service's
checks. Expected: never a 500; a refusal leaves every table as it was (a half save rolls back);
a form shown again says what is wrong; what was typed as HTML comes back escaped. The query
parameters of every page get the same treatment."""

import datetime
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.messages import constants, get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import Resolver404, resolve
from django.utils import timezone

from tests.core.test_tenancy import DEFAULTS, DISTRICT_URLS, OBJECT_PARAMETERS, build_url
from visits.models import ActionItem

SCRIPT = '<script>alert("sweep")</script>'
MEGABYTE = 1024 * 1024
# Django refuses a request body over DATA_UPLOAD_MAX_MEMORY_SIZE before any form sees it, so a
# form's megabyte is shared out between its fields up to just under that limit.
BODY_LIMIT = settings.DATA_UPLOAD_MAX_MEMORY_SIZE - 64 * 1024

TEXT_TYPES = {"text", "textarea", "search", "email", "url", "tel", "password", "color"}
DATE_TYPES = {"date", "datetime-local", "month", "week", "time"}
SKIPPED_NAMES = {"csrfmiddlewaretoken"}
# The version a form started from is swept on its own (tests/core/test_versioned_forms.py);
# here it stays right so the bad value reaches the checks behind it.
VERSION_NAMES = {"version"}

# (name, value, which fields take it)
TEXT_KINDS = [
    ("empty", "", "all"),
    ("megabyte", "x" * MEGABYTE, "text"),
    ("nul", "a\x00b", "all"),
    ("unicode-rtl", "Peña ščř 学校 \u202eمدرسة\u202c 🏫 \u200f", "text"),
    ("html", SCRIPT + '<img src=x onerror="alert(1)">', "text"),
]
DATE_KINDS = [
    ("date-zero", "0000-00-00", "date"),
    ("date-9999", "9999-12-31", "date"),
    ("date-1900", "1900-01-01", "date"),
    ("date-word", "tomorrow", "date"),
    # A span at the edge of the calendar: the form's dates two weeks apart from the base on,
    # so a start and an end that each pass alone meet in whatever steps between them.
    ("date-span-9999", "9999-12-01", "date-span"),
    ("date-span-0001", "0001-01-01", "date-span"),
]
NUMBER_KINDS = [
    ("negative", "-1", "number"),
    ("huge", str(10**30), "number"),
    ("nan", "NaN", "number"),
    ("unicode-digits", "²³", "number"),
]
FORM_KINDS = TEXT_KINDS + DATE_KINDS + NUMBER_KINDS + [("other-district", None, "ids")]

# Query parameters each page reads (besides those of a GET form it shows, which the sweep reads
# from the page). `test_every_query_parameter_a_view_reads_is_swept` keeps this list honest.
QUERY_PARAMETERS = {
    "visits:index": ["year", "month"],
    "meetings:index": ["page"],
    "meetings:calendar": ["year", "month"],
    "actions:index": ["show", "open"],
    "actions:item": ["show"],
    "theories:index": ["open", "goal", "failing"],
    "core:campuses": ["sort", "measure"],
    "visits:visit": ["open"],
    "plan:measure_new": ["goal", "theory"],
    "theories:new": ["strand"],
    "theories:strand": ["edit", "add_link"],
    "reports:index": ["visit"],
    "plan:campus_plans": ["status"],
    "plan:campus_plan_new": ["campus"],
    "publication:feedback_list": ["status", "goal", "language", "page"],
    **{
        name: ["strand", "owner", "campus", "status"]
        for name in (
            "dashboard:scorecard",
            "dashboard:scorecard_table",
            "dashboard:scorecard_export",
        )
    },
    # A new part of the plan names its parent: a plan, or a focus area for a strategy; a new
    # part of a campus plan, the campus plan or (for an objective) the campus goal.
    **{name: ["plan", "focus_area"] for name in DEFAULTS if "kind" in DEFAULTS[name]},
    **{
        name: ["campus_plan", "campus_goal"]
        for name in DEFAULTS
        if DEFAULTS[name].get("kind") in ("campus-goal", "objective", "campus-strategy")
    },
}
# Read by core.redirects.safe_next wherever a view sends someone on.
EVERY_PAGE_PARAMETERS = ["next"]
QUERY_KINDS = [
    ("empty", ""),
    ("long", "x" * 10_000),
    ("nul", "a\x00b"),
    ("unicode-rtl", "Peña \u202eمدرسة\u202c 🏫"),
    ("html", SCRIPT),
    ("year-9999", "9999"),
    ("zero", "0"),
    ("negative", "-1"),
    ("huge", str(10**30)),
    ("nan", "NaN"),
    ("unicode-digits", "²³"),
    ("absolute-url", "https://evil.example/"),
]

NEXT_KINDS = [kind for kind in QUERY_KINDS if kind[0] in ("nul", "html", "absolute-url")]

ERROR_MARKERS = ('class="errorlist', 'role="alert"', "notice bad", 'aria-invalid="true"')


class _Forms(HTMLParser):
    """The forms of a page with their fields as the page fills them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self._form, self._select, self._textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = {key: value or "" for key, value in attrs}
        if tag == "form":
            self._form = {
                "method": attrs.get("method", "get").lower(),
                "action": attrs.get("action", ""),
                "multipart": "multipart" in attrs.get("enctype", ""),
                "fields": [],
            }
            self.forms.append(self._form)
        if tag == "option" and self._select is not None:
            self._select["options"].append(attrs.get("value", ""))
            if "selected" in attrs:
                self._select["selected"].append(attrs.get("value", ""))
        if self._form is None or "name" not in attrs or "disabled" in attrs:
            return
        field = {"name": attrs["name"], "tag": tag}
        if tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                return
            field |= {"type": kind, "value": attrs.get("value", "")}
            field["checked"] = "checked" in attrs
            self._form["fields"].append(field)
        elif tag == "button" and attrs.get("type", "submit") == "submit":
            field |= {"type": "submit", "value": attrs.get("value", "")}
            self._form["fields"].append(field)
        elif tag == "select":
            field |= {"type": "select", "options": [], "selected": []}
            field["multiple"] = "multiple" in attrs
            self._select = field
            self._form["fields"].append(field)
        elif tag == "textarea":
            field |= {"type": "textarea", "value": ""}
            self._textarea = field
            self._form["fields"].append(field)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def forms_of(html):
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def _is_date(field):
    name = field["name"]
    return field["type"] in DATE_TYPES or name.endswith(("_on", "date", "_at"))


def _baseline(field):
    """A plausible value, so that only the swept field is wrong."""
    kind, value = field["type"], field.get("value", "")
    if kind == "select":
        chosen = [o for o in field["selected"] if o] or [o for o in field["options"] if o][:1]
        return chosen if field["multiple"] else (chosen[0] if chosen else "")
    if kind in ("checkbox", "radio"):
        return (value or "on") if field["checked"] else None
    if kind == "file":
        return None
    if value:
        return value
    if _is_date(field):
        return (timezone.localdate() + datetime.timedelta(days=14)).isoformat()
    return {"number": "1", "email": "sweep@example.test", "url": "https://example.test/"}.get(
        kind, "Sweep" if kind in TEXT_TYPES else ""
    )


def _takes(field, applies):
    kind, name = field["type"], field["name"]
    if name in SKIPPED_NAMES or kind == "submit":
        return False
    if name in VERSION_NAMES:
        return False
    if applies == "all":
        return True
    if applies == "text":
        return kind in TEXT_TYPES and not _is_date(field)
    if applies in ("date", "date-span"):
        return _is_date(field)
    if applies == "number":
        return kind in ("number", "select", "range") or (
            kind == "hidden" and field.get("value", "").isdigit()
        )
    if applies == "ids":
        if kind == "select":
            return any(option.isdigit() for option in field["options"])
        return kind == "hidden" and field.get("value", "").isdigit()
    return False


class Foreign:
    """Objects of another district, made once per page, so each id field can be handed an id
    that exists but is not this district's."""

    def __init__(self, personas):
        self.personas = personas
        self._ids = None

    @property
    def ids(self):
        if self._ids is None:
            models = [m for m in apps.get_models() if m._meta.managed and not m._meta.proxy]
            before = {m: set(m._base_manager.values_list("pk", flat=True)) for m in models}
            _furnish(self.personas.other_district, {})
            self._ids = {}
            for model in models:
                new = set(model._base_manager.values_list("pk", flat=True)) - before[model]
                if new:
                    self._ids[model] = (new, set(model._base_manager.values_list("pk", flat=True)))
            user = self.personas.outsider
            self._ids.setdefault(type(user), (set(), set()))[0].add(user.pk)
        return self._ids

    def id_for(self, field):
        """An id of the other district's record of the kind the field offers (its options
        all being ids of that table); failing that, any of the other district's ids."""
        offered = {o for o in field.get("options", []) if o.isdigit()} or {field.get("value")}
        offered = {int(o) for o in offered if o and o.isdigit()}
        for new, every in self.ids.values():
            if offered and offered <= every:
                return str(min(new))
        return str(max(pk for new, _ in self.ids.values() for pk in new if isinstance(pk, int)))


def _fill(form, kind, foreign):
    _, value, applies = kind
    data, files = {}, {}
    fields = [f for f in form["fields"] if f["type"] != "file"]
    takers = [f for f in fields if _takes(f, applies)]
    if value is not None and len(value) >= MEGABYTE and takers:
        value = value[: max(1, BODY_LIMIT // len(takers))]
    groups = {f["name"] for f in fields if f["type"] == "checkbox"}
    groups = {n for n in groups if sum(f["name"] == n for f in fields) > 1}
    span = iter(range(len(takers)))
    # A radio group with nothing chosen takes its first choice.
    checked_radios = {f["name"] for f in fields if f["type"] == "radio" and f["checked"]}
    for field in fields:
        if field["type"] == "submit":
            data.setdefault(field["name"], field["value"])
            continue
        if field in takers and applies == "ids":
            chosen = foreign.id_for(field)
        elif field in takers and applies == "date-span":
            start = datetime.date.fromisoformat(value)
            chosen = (start + datetime.timedelta(days=14 * next(span))).isoformat()
        elif field in takers:
            chosen = value
        elif field["type"] == "radio" and field["name"] not in checked_radios:
            checked_radios.add(field["name"])
            chosen = field["value"]
        elif field["name"] in groups:
            # Every box of a group (a cohort's campuses), so a "choose at least one" passes.
            chosen = field["value"] or "on"
        else:
            chosen = _baseline(field)
        if chosen is None:
            continue
        if field["type"] == "select" and field["multiple"] and not isinstance(chosen, list):
            chosen = [chosen]
        if field["type"] in ("checkbox", "radio") and field in takers:
            data.setdefault(field["name"], chosen)
        elif isinstance(data.get(field["name"]), list) and field["type"] == "checkbox":
            data[field["name"]].append(chosen)
        elif field["type"] == "checkbox":
            data[field["name"]] = [chosen]
        else:
            data.setdefault(field["name"], chosen)
    for field in form["fields"]:
        if field["type"] == "file":
            content = (value or "") if applies in ("all", "text") else "name\nSweep\n"
            content = content[:BODY_LIMIT]
            files[field["name"]] = SimpleUploadedFile(
                "sweep.csv", content.encode("utf-8", "surrogatepass"), "text/csv"
            )
    return data | files


def row_counts():
    """Every table's row count, in one query."""
    tables = sorted(
        {
            m._meta.db_table
            for m in apps.get_models(include_auto_created=True)
            if m._meta.managed and not m._meta.proxy
        }
        - {"django_session"}
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f'(SELECT count(*) FROM "{t}")' for t in tables))
        return dict(zip(tables, cursor.fetchone(), strict=True))


def _changed(before, after):
    return {t: (before[t], after[t]) for t in before if before[t] != after[t]}


def _action_name(action, page_url):
    path = urlsplit(action).path or urlsplit(page_url).path
    try:
        return resolve(path).view_name, path
    except Resolver404:
        return None, path


def _is_refusal(response):
    if response.status_code >= 400:
        return True
    if response.status_code in (301, 302, 303):
        # Only what this request said: an earlier refusal's message waits in the cookie too.
        said = get_messages(response.wsgi_request)._queued_messages
        return any(m.level >= constants.ERROR for m in said)
    body = response.content.decode(errors="replace")
    return any(marker in body for marker in ERROR_MARKERS) or "conflict" in body.lower()


def _post_forms(client, url):
    response = client.get(url)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return {}
    forms = {}
    for form in forms_of(response.content.decode()):
        if form["method"] != "post":
            continue
        name, path = _action_name(form["action"], url)
        if name and not name.startswith(("accounts:", "set_language")):
            forms.setdefault(name, (path, form))
    return forms


def _sweep_form(client, page_url, action_name, foreign, failures):
    """Posts each kind of bad value into one form, reading the page again after a save."""
    forms = _post_forms(client, page_url)
    for kind in FORM_KINDS:
        if action_name not in forms:
            return
        path, form = forms[action_name]
        data = _fill(form, kind, foreign)
        where = f"{action_name} <- {kind[0]}"
        before = row_counts()
        try:
            response = client.post(path, data)
        except Exception as exc:
            failures.append(f"{where}: {type(exc).__name__}: {str(exc)[:200]}")
            continue
        after = row_counts()
        body = response.content.decode(errors="replace")
        if response.status_code >= 500:
            failures.append(f"{where}: answered {response.status_code}")
        if SCRIPT in body:
            failures.append(f"{where}: script shown unescaped")
        if _is_refusal(response):
            if _changed(before, after):
                failures.append(f"{where}: refused but saved rows {_changed(before, after)}")
        elif response.status_code == 200 and not _changed(before, after):
            shown_again = [
                f
                for f in forms_of(body)
                if f["method"] == "post" and _action_name(f["action"], path)[0] == action_name
            ]
            if shown_again and kind[0] == "empty":
                failures.append(f"{where}: form shown again without saying what is wrong")
        if response.status_code in (301, 302, 303) and not response["Location"].startswith("/"):
            failures.append(f"{where}: sent away to {response['Location']}")
        if _changed(before, after):
            # Saved: the next kind needs the page as it now is (a new version, a row gone).
            if response.status_code in (301, 302, 303):
                _follow(client, response["Location"], where, failures)
            forms = _post_forms(client, page_url)


def _follow(client, location, where, failures):
    """The page a save leads to shows what was saved: it too must open, with text as text."""
    if not location.startswith("/"):
        return
    try:
        response = client.get(location)
    except Exception as exc:
        failures.append(f"{where} -> {location}: {type(exc).__name__}: {str(exc)[:200]}")
        return
    if response.status_code >= 500:
        failures.append(f"{where} -> {location}: answered {response.status_code}")
    elif not response.streaming and SCRIPT in response.content.decode(errors="replace"):
        failures.append(f"{where} -> {location}: script shown unescaped")


# Whether a page shows its own form when opened, by URL name: a form posting to a page that
# does is swept on that page; one posting to an action with no page of its own (move, delete,
# adopt...) is swept wherever it is shown.
# Such an action is swept once in a run, on the first page found showing it.
_SHOWS_ITS_OWN_FORM, _SWEPT_ELSEWHERE = {}, set()


def _swept_here(client, name, action_name, path):
    if action_name == name:
        return True
    if action_name not in _SHOWS_ITS_OWN_FORM:
        _SHOWS_ITS_OWN_FORM[action_name] = action_name in _post_forms(client, path)
    if _SHOWS_ITS_OWN_FORM[action_name] or action_name in _SWEPT_ELSEWHERE:
        return False
    _SWEPT_ELSEWHERE.add(action_name)
    return True


def _furnish(district, made):
    """One record of every kind, so that lists show the forms of their rows (an action item's
    status, a part's move) and not just their empty states."""
    for parameter, make in OBJECT_PARAMETERS.items():
        if parameter != "language":
            make(district, made, {"kind": "goal"})


@pytest.mark.parametrize(("name", "parameters"), DISTRICT_URLS)
def test_every_form_refuses_bad_input_clearly(as_member, personas, name, parameters):
    client = as_member(personas.admin)
    made = {}
    _furnish(personas.district, made)
    url = build_url(name, parameters, personas.district, made)
    forms = _post_forms(client, url)
    foreign = Foreign(personas)
    failures = []
    for action_name, (path, _) in forms.items():
        if _swept_here(client, name, action_name, path):
            _sweep_form(client, url, action_name, foreign, failures)
    assert not failures, "\n".join([url, *failures])


def _get_form_fields(html):
    return [
        field["name"]
        for form in forms_of(html)
        if form["method"] == "get"
        for field in form["fields"]
        if field["type"] != "submit"
    ]


@pytest.mark.parametrize(("name", "parameters"), DISTRICT_URLS)
def test_every_page_survives_bad_query_parameters(as_member, personas, name, parameters):
    client = as_member(personas.admin)
    url = build_url(name, parameters, personas.district)
    page = client.get(url)
    if page.status_code != 200:
        return
    keys = set(QUERY_PARAMETERS.get(name, [])) | set(EVERY_PAGE_PARAMETERS)
    if "html" in page.get("Content-Type", ""):
        keys |= set(_get_form_fields(page.content.decode()))
    base = url.partition("?")[0]
    failures = []
    # A page that reads no parameter of its own only meets the `next` every page may read.
    kinds = QUERY_KINDS if keys - set(EVERY_PAGE_PARAMETERS) else NEXT_KINDS
    for kind, value in kinds:
        target = f"{base}?{urlencode(dict.fromkeys(sorted(keys), value))}"
        try:
            response = client.get(target)
        except Exception as exc:
            failures.append(f"{kind}: {type(exc).__name__}: {str(exc)[:200]}")
            continue
        if response.status_code >= 500:
            failures.append(f"{kind}: answered {response.status_code}")
        if not response.streaming and SCRIPT in response.content.decode(errors="replace"):
            failures.append(f"{kind}: script shown unescaped")
        if response.status_code in (301, 302, 303) and not response["Location"].startswith("/"):
            failures.append(f"{kind}: sent away to {response['Location']}")
    assert not failures, "\n".join([url, *failures])


GET_KEY = re.compile(
    r"""request\.GET(?:\.get\(|\[)\s*["'](\w+)["']|["'](\w+)["']\s+in\s+request\.GET"""
)


def test_every_query_parameter_a_view_reads_is_swept():
    root = Path(settings.BASE_DIR)
    read = set()
    for source in root.glob("*/*.py"):
        # Sign-in pages live outside /d/<district>/ and are not swept here.
        if source.parts[-2] in ("tests", ".venv", "bench", "accounts"):
            continue
        for match in GET_KEY.finditer(source.read_text()):
            read.add(match.group(1) or match.group(2))
    known = {key for keys in QUERY_PARAMETERS.values() for key in keys} | set(EVERY_PAGE_PARAMETERS)
    assert read <= known, f"Add these query parameters to QUERY_PARAMETERS: {read - known}"


def test_the_sweep_finds_the_forms_of_a_page_and_of_its_rows(as_member, personas):
    client = as_member(personas.admin)
    made = {}
    _furnish(personas.district, made)
    assert "visits:program_new" in _post_forms(
        client, build_url("visits:program_new", (), personas.district, made)
    )
    # The list folds its rows by owner; a group's link opens it with its rows' forms.
    index = build_url("actions:index", (), personas.district, made)
    [key] = {item.owner_key for item in ActionItem.objects.filter(district=personas.district)}
    assert "actions:item" not in _post_forms(client, index)
    assert {"actions:item"} <= set(_post_forms(client, f"{index}?show=all&open={key}"))


def test_the_sweep_fills_every_kind_of_field():
    [form] = forms_of(
        '<form method="post" action="/x/"><input name="title" value="Kept">'
        '<input type="date" name="starts_on"><input type="hidden" name="version" value="3">'
        '<select name="campus"><option value="">--</option><option value="7">A</option></select>'
        "<textarea name=notes>old</textarea><input type=checkbox name=done checked></form>"
    )
    data = _fill(form, ("date-9999", "9999-12-31", "date"), foreign=None)
    assert data == {
        "title": "Kept",
        "starts_on": "9999-12-31",
        "version": "3",
        "campus": "7",
        "notes": "old",
        "done": ["on"],
    }
