"""Communities of Practice visits: the rotation, a visit, tablet observations, action items."""

import base64
import datetime
import uuid

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Membership
from core.charts import bar_chart
from core.csv_export import SafeWriter, csv_response
from core.folds import Fold, asked_open, fold_url, target_key
from core.history import history, record_events
from core.inplace_edit import versioned_edit
from core.redirects import safe_next
from core.roles import (
    Capability,
    bound_to_campuses,
    bound_to_departments,
    can,
    forbidden,
    may_update_action_item,
    require,
)
from core.tenancy import get_for_district
from core.versioning import EditConflict
from visits import ics, selectors, services
from visits.forms import (
    ActionItemForm,
    ActionItemReassignForm,
    ActionItemsReassignForm,
    ActionItemStatusForm,
    DebriefForm,
    LookForForm,
    MoveVisitForm,
    ObservationForm,
    ProgramForm,
    VisitForm,
)
from visits.models import ActionItem, CalendarFeed, Visit, VisitProgram


def _visit_url(request, visit, anchor=""):
    url = reverse("visits:visit", args=[request.district.slug, visit.pk])
    return f"{url}#{anchor}" if anchor else url


def index(request):
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
        month = int(request.GET.get("month", today.month))
        # The calendar links to the months either side, so the first and last years a date can
        # hold are out; a century either way is more than any district plans.
        if abs(year - today.year) > 100:
            raise ValueError(year)
        datetime.date(year, month, 1)
    except (ValueError, OverflowError):
        year, month = today.year, today.month
    context = selectors.calendar_month(
        district=request.district, year=year, month=month, today=today
    )
    context["programs"] = selectors.programs_for_district(request.district)
    context["upcoming"] = selectors.upcoming_visits(district=request.district, today=today)
    return render(request, "visits/index.html", context)


@require(Capability.EDIT_PLAN)
def program_create(request):
    form = ProgramForm(request.POST or None, district=request.district)
    if request.method == "POST" and form.is_valid():
        program = services.program_create(
            district=request.district,
            name=form.cleaned_data["name"],
            weekday=form.cleaned_data["weekday"],
            start_date=form.cleaned_data["start_date"],
            end_date=form.cleaned_data["end_date"],
            campuses=form.cleaned_data["campuses"],
            blackouts=form.cleaned_data["blackouts"],
        )
        messages.success(
            request,
            gettext("Program created with %(count)s planned visits.")
            % {"count": program.visits.count()},
        )
        return redirect("visits:program", request.district.slug, program.pk)
    return render(request, "visits/program_form.html", {"form": form})


def program(request, program_pk):
    program = get_for_district(request, VisitProgram, pk=program_pk)
    context = selectors.program_detail(program=program)
    context["look_for_form"] = LookForForm(district=request.district)
    return render(request, "visits/program.html", context)


@require(Capability.EDIT_PLAN)
@require_POST
def look_for_create(request, program_pk):
    program = get_for_district(request, VisitProgram, pk=program_pk)
    form = LookForForm(request.POST, district=request.district)
    if form.is_valid():
        look_for = form.save(commit=False)
        look_for.district = request.district
        look_for.program = program
        look_for.order = program.look_fors.count()
        look_for.save()
        messages.success(request, gettext("Look-for added."))
    else:
        messages.error(
            request,
            gettext("The look-for needs its text: %(errors)s")
            % {"errors": " ".join(e for errs in form.errors.values() for e in errs)},
        )
    return redirect("visits:program", request.district.slug, program.pk)


def visit(request, visit_pk):
    visit = get_for_district(
        request,
        Visit.objects.select_related("campus", "program", "district").prefetch_related(
            "departments", "team", "problems"
        ),
        pk=visit_pk,
    )
    may_log = can(request.membership, Capability.LOG_VISITS)
    if request.htmx and request.htmx.target == ACTION_FOLD:
        if not may_log:
            return forbidden(request, gettext("add action items"))
        context = {"visit": visit, "action_form": ActionItemForm(visit=visit)}
        return render(request, "visits/visit.html#action-item-form", context)
    context = selectors.visit_page(visit=visit, membership=request.membership)
    if may_log:
        opened = ACTION_FOLD_KEY in asked_open(request)
        context |= _visit_forms(request, visit, ActionItemForm(visit=visit) if opened else None)
    return render(request, "visits/visit.html", context)


# The visit page's "Add an action item" is folded: its form (with every member who may be
# assigned an item) is read when opened, or with `?open=action-item` without JavaScript.
ACTION_FOLD, ACTION_FOLD_KEY = "action-item-form", "action-item"


def _visit_forms(request, visit, action_form):
    """The visit page's forms for those who run visits; the action item form drawn open when
    given (asked for, or sent back with its errors)."""
    path = reverse("visits:visit", args=[request.district.slug, visit.pk])
    return {
        "move_form": MoveVisitForm(initial={"date": visit.date}),
        "action_form": action_form,
        "action_fold": Fold(
            id=ACTION_FOLD,
            url=fold_url(path, ACTION_FOLD_KEY, anchor="action-items"),
            name=gettext("Add an action item"),
            open=action_form is not None,
        ),
    }


@require(Capability.LOG_VISITS)
def visit_update(request, visit_pk):
    visit = get_for_district(request, Visit.objects.select_related("campus"), pk=visit_pk)
    return versioned_edit(
        request,
        instance=visit,
        form_class=VisitForm,
        form_kwargs={"district": request.district},
        save=lambda form, **edit: services.visit_update(
            visit=visit, data=form.model_data(), m2m=form.m2m_data(), **edit
        ),
        template="visits/visit_edit.html",
        context={"visit": visit},
        message=gettext("Visit saved."),
        success_url=lambda saved: _visit_url(request, saved),
    )


@require(Capability.LOG_VISITS)
@require_POST
def visit_move(request, visit_pk):
    visit = get_for_district(request, Visit.objects.select_related("program"), pk=visit_pk)
    form = MoveVisitForm(request.POST)
    if form.is_valid():
        try:
            services.visit_move(visit=visit, new_date=form.cleaned_data["date"], user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                gettext("Visit moved to %(date)s.")
                % {"date": date_format(form.cleaned_data["date"], "WEEKDAY_MONTH_DAY_FORMAT")},
            )
    else:
        messages.error(request, gettext("Enter the new date."))
    return redirect(_visit_url(request, visit))


@require(Capability.LOG_VISITS)
@require_POST
def visit_advance(request, visit_pk):
    visit = get_for_district(request, Visit, pk=visit_pk)
    try:
        visit = services.visit_advance(
            visit=visit, expected_version=int(request.POST.get("version", 0)), user=request.user
        )
    except (EditConflict, ValueError):
        messages.error(
            request, gettext("Someone else changed this visit meanwhile; check it and try again.")
        )
    except ValidationError as exc:
        if "strengths" in getattr(exc, "error_dict", {}):
            return _debrief_needed(request, visit, exc.message_dict["strengths"])
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            gettext("Visit is now %(status)s.") % {"status": visit.get_status_display().lower()},
        )
    return redirect(_visit_url(request, visit))


def _debrief_needed(request, visit, errors):
    """The debrief form, with why the visit cannot be marked debriefed next to it."""
    data = {name: getattr(visit, name) for name in Visit.DEBRIEF_FIELDS}
    data |= {"version": visit.version, "problems": [p.pk for p in visit.problems.all()]}
    form = DebriefForm(data, instance=visit, district=request.district)
    form.is_valid()
    for error in errors:
        form.add_error("strengths", error)
    context = {"form": form, "visit": visit, "back_url": _debrief_url(request, visit)}
    return render(request, "visits/debrief.html", context)


def _debrief_url(request, visit):
    return _visit_url(request, visit, "debrief")


@require(Capability.LOG_VISITS)
def debrief(request, visit_pk):
    visit = get_for_district(request, Visit.objects.select_related("campus"), pk=visit_pk)

    @transaction.atomic
    def save(form, **edit):
        # A new problem of practice is added with the debrief or, on a conflict, not at all.
        problems = list(form.cleaned_data["problems"])
        if form.cleaned_data["new_problem"].strip():
            problems.append(
                services.problem_of_practice_find_or_add(
                    district=request.district, name=form.cleaned_data["new_problem"]
                )
            )
        return services.visit_update(
            visit=visit, data=form.model_data(), m2m={"problems": problems}, **edit
        )

    return versioned_edit(
        request,
        instance=visit,
        form_class=DebriefForm,
        form_kwargs={"district": request.district},
        save=save,
        template="visits/debrief.html",
        context={"visit": visit},
        message=gettext("Debrief saved."),
        success_url=lambda saved: _debrief_url(request, saved),
    )


# Observations: the tablet page and the endpoint it sends to


def _tablet_texts():
    """What the tablet's outbox says, in the reader's language; it fills in the {names}.
    A count's sentence comes in its forms for one and for more."""

    def counted(singular, plural):
        return [ngettext(singular, plural, number) for number in (1, 2)]

    return {
        "saved": gettext("Saved on this tablet"),
        "sent": gettext("Sent"),
        "failed": gettext("Refused"),
        "empty": gettext("Nothing saved on this tablet yet."),
        "untitled": gettext("Observation"),
        "waiting": counted("{count} waiting to send", "{count} waiting to send"),
        "nothing_waiting": gettext("Nothing waiting to send"),
        "refused": counted(
            "{count} refused, to correct or discard", "{count} refused, to correct or discard"
        ),
        "offline": gettext("offline: saves stay on this tablet"),
        "no_connection": gettext("no connection, will send when back online"),
        "sign_in": gettext("sign in again to send"),
        "server_error": gettext("server answered {status}, will try again"),
        "refused_reason": gettext("the server refused it"),
        "saved_at": gettext("Saved on this tablet at {time}. Ready for the next observation."),
        "correct": gettext("Correct and send again"),
        "correcting": gettext("Correct it above, then save it again."),
        "replace_form": gettext("Replace what is in the form with this observation?"),
        "discard": gettext("Discard"),
        "discard_confirm": gettext(
            "Discard this observation? It has not been sent and will be gone from this tablet."
        ),
    }


def _outbox_key(user):
    """The AES key the tablet encrypts this user's outbox and draft with (static/js/observe.js).
    Derived, not stored, so signing back in on any page load gives the writer the same key;
    only a page that is never cached carries it, never the offline shell."""
    digest = salted_hmac("visits.outbox", str(user.pk), algorithm="sha256").digest()
    return base64.b64encode(digest).decode()


def _observe_page(request, visit, form, status=200, base_template="base.html", key=False):
    context = {
        "visit": visit,
        "form": form,
        "tablet_texts": _tablet_texts(),
        "base_template": base_template,
        "outbox_key": _outbox_key(request.user) if key else "",
    }
    return render(request, "visits/observe.html", context, status=status)


@require(Capability.LOG_VISITS)
@never_cache
def observe(request, visit_pk):
    visit = get_for_district(
        request, Visit.objects.select_related("campus", "program"), pk=visit_pk
    )
    form = ObservationForm(visit=visit, initial={"client_id": uuid.uuid4()})
    return _observe_page(request, visit, form, key=True)


@require(Capability.LOG_VISITS)
@require_POST
def observation_create(request, visit_pk):
    """Stores one observation. The tablet sends JSON-accepting form posts and gets JSON back;
    without JavaScript the form posts here and is redirected to the observation page."""
    visit = get_for_district(
        request, Visit.objects.select_related("campus", "program"), pk=visit_pk
    )
    wants_json = "application/json" in request.headers.get("Accept", "")
    form = ObservationForm(request.POST, visit=visit)
    if not form.is_valid():
        if wants_json:
            return JsonResponse({"status": "invalid", "errors": form.errors}, status=400)
        return _observe_page(request, visit, form, status=400)
    try:
        observation, created = services.observation_record(
            visit=visit,
            observer=request.user,
            client_id=form.cleaned_data["client_id"],
            look_fors=form.cleaned_data["look_fors"],
            **form.model_fields(),
        )
    except services.ReplayConflict:
        message = gettext(
            "This observation was already saved with different content; it was not changed."
        )
        if wants_json:
            return JsonResponse(
                {"status": "conflict", "errors": {"__all__": [message]}}, status=409
            )
        messages.error(request, message)
        return redirect("visits:observe", request.district.slug, visit.pk)
    except ValidationError as exc:
        if wants_json:
            return JsonResponse(
                {"status": "invalid", "errors": {"__all__": exc.messages}}, status=400
            )
        messages.error(request, " ".join(exc.messages))
        return redirect(_visit_url(request, visit))
    if wants_json:
        return JsonResponse(
            {"status": "stored" if created else "duplicate", "id": observation.pk},
            status=201 if created else 200,
        )
    messages.success(request, gettext("Observation saved. Ready for the next one."))
    return redirect("visits:observe", request.district.slug, visit.pk)


# Action items


@require(Capability.LOG_VISITS)
@require_POST
def action_item_create(request, visit_pk):
    visit = get_for_district(
        request, Visit.objects.select_related("campus", "district"), pk=visit_pk
    )
    form = ActionItemForm(request.POST, visit=visit)
    if form.is_valid():
        services.action_item_create(visit=visit, user=request.user, **form.cleaned_data)
        messages.success(request, gettext("Action item added."))
        return redirect(_visit_url(request, visit, "action-items"))
    context = selectors.visit_page(visit=visit, membership=request.membership)
    context |= _visit_forms(request, visit, form)
    return render(request, "visits/visit.html", context)


SHOWS = ("mine", "open", "all")


def _actions_tab(request):
    membership = request.membership
    bound = bound_to_campuses(membership) or bound_to_departments(membership)
    show = request.GET.get("show") or ("mine" if bound else "open")
    return show if show in SHOWS else "open"


def _with_items(request, groups, show):
    """Gives each open group its items, with what each member may do to them."""
    membership = request.membership
    found = selectors.group_items(
        district=request.district,
        membership=membership,
        show=show,
        keys=[group["key"] for group in groups],
    )
    for group in groups:
        group["open_items"], group["done_items"] = found.get(group["key"], ([], []))
    items = [item for group in groups for item in group["open_items"] + group["done_items"]]
    selectors.attach_origins(district=request.district, items=items)
    path = reverse("actions:index", args=[request.district.slug])
    may_reassign = can(membership, Capability.LOG_VISITS)
    for item in items:
        item.may_update = may_update_action_item(membership, item)
        if may_reassign:
            # The reassign form comes when asked for: drawn for every item, with everyone
            # who may be assigned each, it was a third of a long list.
            item.reassign = Fold(
                id=f"item-{item.pk}-reassign",
                url=f"{path}{item.pk}/?show={show}",
                name=Truncator(item.description).chars(40),
            )


def actions(request):
    """The tab's items folded by owner, each group with its counts; `?open=<owner>` opens one,
    and an htmx request aimed at a group's body gets its items alone."""
    show = _actions_tab(request)
    context = selectors.action_groups(
        district=request.district, membership=request.membership, show=show
    )
    context |= {"show": show, "may_reassign": can(request.membership, Capability.LOG_VISITS)}
    key = target_key(request, "owner-", "-items")
    if key is not None:
        group = next((g for g in context["groups"] if g["key"] == key), None)
        if group is None:
            raise Http404("No such owner among these items.")
        _with_items(request, [group], show)
        return render(request, "visits/actions.html#owner-items", context | {"group": group})
    path = reverse("actions:index", args=[request.district.slug])
    asked = set(asked_open(request))
    for group in context["groups"]:
        anchor = f"owner-{group['key']}"
        group["fold"] = Fold(
            id=f"{anchor}-items",
            url=fold_url(path, group["key"], params=[("show", show)], anchor=anchor),
            name=group["label"],
            open=group["key"] in asked,
        )
    _with_items(request, [g for g in context["groups"] if g["fold"].open], show)
    return render(request, "visits/actions.html", context)


# The fields only those who run visits may change; campus leaders and department leads update
# the status of their own items and nothing else.
_REASSIGN_FIELDS = ("assignee", "due_date")


@require(Capability.UPDATE_OWN_ACTION_ITEMS)
@require_http_methods(["GET", "POST"])
def action_item_update(request, item_pk):
    """POST: a new status, with a note and evidence; or, from those who run visits, a new
    assignee or due date. GET: the item with the form that reassigns it or moves its date."""
    item = get_for_district(
        request,
        ActionItem.objects.select_related("visit", "campus", "department", "assignee"),
        pk=item_pk,
    )
    if request.method == "GET":
        return _item_page(request, item)
    reassigning = any(name in request.POST for name in _REASSIGN_FIELDS)
    if reassigning and not can(request.membership, Capability.LOG_VISITS):
        return forbidden(request, gettext("reassign action items or move their due dates"))
    if not may_update_action_item(request.membership, item):
        return forbidden(
            request, gettext("update action items owned by another campus or department")
        )
    if reassigning:
        form = ActionItemReassignForm(request.POST, instance=item, district=request.district)
    else:
        form = ActionItemStatusForm(request.POST, instance=item)
    if form.is_valid():
        # A field the post does not name keeps its value rather than being emptied.
        data = {name: value for name, value in form.model_data().items() if name in request.POST}
        try:
            services.action_item_update(
                item=item,
                expected_version=form.expected_version(),
                user=request.user,
                data=data,
            )
        except EditConflict:
            messages.error(
                request,
                gettext("Someone else updated “%(item)s” meanwhile; check it and try again.")
                % {"item": Truncator(item.description).chars(60)},
            )
        else:
            messages.success(request, gettext("Action item updated."))
    else:
        messages.error(
            request,
            gettext("“%(item)s” was not changed: %(errors)s")
            % {"item": Truncator(item.description).chars(60), "errors": form.error_text()},
        )
    return redirect(safe_next(request, reverse("actions:index", args=[request.district.slug])))


def _item_page(request, item):
    """An item alone, as the list shows it, its reassign form open; or, for the fold of an
    item on the list (an htmx request aimed at it), that form alone. A save from either
    returns to the list with the item's group open, on the item."""
    show = request.GET.get("show")
    list_path = reverse("actions:index", args=[request.district.slug])
    back_to = fold_url(
        list_path, item.owner_key, params=[("show", show if show in SHOWS else "all")]
    )
    may_reassign = can(request.membership, Capability.LOG_VISITS)
    if may_reassign:
        selectors.attach_assignee_choices(
            items=[item], members=selectors.district_members(request.district)
        )
    context = {"item": item, "back_to": back_to, "may_reassign": may_reassign}
    if request.htmx and request.htmx.target == f"item-{item.pk}-reassign":
        if not may_reassign:
            return forbidden(request, gettext("reassign action items or move their due dates"))
        return render(request, "visits/_action_item.html#reassign-form", context)
    selectors.mark_overdue([item])
    selectors.attach_origins(district=request.district, items=[item])
    item.may_update = may_update_action_item(request.membership, item)
    item.reassign = Fold(id=f"item-{item.pk}-reassign", url=request.path, name="", open=True)
    group = {"key": item.owner_key, "open_items": [], "done_items": []}
    group["done_items" if item.status == ActionItem.Status.DONE else "open_items"].append(item)
    return render(request, "visits/action_item.html", context | {"group": group})


@require(Capability.MANAGE_DISTRICT)
def action_items_reassign(request, membership_pk):
    """Hands all of one member's open action items to someone else at once: what an admin does
    after deactivating them, or when someone moves on."""
    member = get_for_district(request, Membership.objects.select_related("user"), pk=membership_pk)
    items = selectors.open_action_items_of(district=request.district, user=member.user)
    choices = selectors.reassign_choices(
        members=selectors.district_members(request.district), items=items, exclude_user=member.user
    )
    form = ActionItemsReassignForm(request.POST or None, choices=choices)
    if request.method == "POST" and items and form.is_valid():
        to_user = form.cleaned_data["to_user"]
        try:
            count = services.action_items_reassign(
                district=request.district, from_user=member.user, to_user=to_user, by=request.user
            )
        except ValidationError as exc:
            form.add_error("to_user", exc.messages)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s action item is now %(name)s's.",
                    "%(count)s action items are now %(name)s's.",
                    count,
                )
                % {"count": count, "name": to_user.get_full_name()},
            )
            return redirect("people:member", request.district.slug, member.pk)
    return render(
        request,
        "visits/action_items_reassign.html",
        {"member": member, "items": items, "form": form},
    )


def action_item_history(request, item_pk):
    item = get_for_district(request, ActionItem, pk=item_pk)
    return render(
        request,
        "core/history.html",
        {
            "object": item,
            "entries": history([record_events(item)]),
            "back_url": fold_url(
                reverse("actions:index", args=[request.district.slug]),
                item.owner_key,
                params=[("show", "all")],
                anchor=f"item-{item.pk}",
            ),
        },
    )


def actions_export(request):
    context = selectors.actions_by_owner(
        district=request.district, membership=request.membership, show="all"
    )
    response = csv_response(f"{request.district.slug}-action-items")
    writer = SafeWriter(response)
    writer.writerow(
        [
            "owner",
            "campus",
            "description",
            "assignee",
            "due_date",
            "status",
            "overdue",
            "resolved_during_visit",
            "visit_date",
            "note",
            "evidence",
            "meeting",
        ]
    )
    selectors.attach_origins(district=request.district, items=context["items"])
    for item in context["items"]:
        writer.writerow(
            [
                item.owner_label,
                item.campus.name if item.campus_id else "",
                item.description,
                item.assignee.get_full_name() if item.assignee else "",
                item.due_date or "",
                item.get_status_display(),
                "yes" if item.overdue else "",
                "yes" if item.resolved_during_visit else "",
                item.visit.date if item.visit_id else "",
                item.status_note,
                item.evidence,
                item.origin.title if item.origin else "",
            ]
        )
    return response


# Trends and calendar feed


def trends(request):
    context = selectors.trends(district=request.district)
    context["problems_chart"] = bar_chart(
        rows=[(r["problemofpractice__name"], r["campuses"]) for r in context["problems"]],
        chart_id="problems-chart",
        title=gettext("Problems of practice: campuses where each was named"),
    )
    context["look_fors_chart"] = bar_chart(
        rows=[(r["lookfor__text"], r["campuses"]) for r in context["look_fors"]],
        chart_id="look-fors-chart",
        title=gettext("Look-fors: campuses where each was seen"),
    )
    context["months_chart"] = bar_chart(
        rows=[
            (dateformat.format(month, "M Y"), count)
            for month, count in context["problems_by_month"]
        ],
        chart_id="months-chart",
        title=gettext("Problems of practice named each month"),
    )
    context["look_for_months_chart"] = bar_chart(
        rows=[
            (dateformat.format(month, "M Y"), count)
            for month, count in context["look_fors_by_month"]
        ],
        chart_id="look-for-months-chart",
        title=gettext("Look-fors seen each month"),
    )
    return render(request, "visits/trends.html", context)


def calendar_feed(request):
    if request.method == "POST":
        services.calendar_feed_renew(user=request.user, district=request.district)
        messages.success(
            request, gettext("A new calendar address was made; the old one no longer works.")
        )
        return redirect("visits:calendar_feed", request.district.slug)
    feed = services.calendar_feed_for(user=request.user, district=request.district)
    url = request.build_absolute_uri(reverse("ics_feed", args=[feed.token]))
    return render(request, "visits/calendar_feed.html", {"feed_url": url})


@require_GET
def ics_feed(request, token):
    """Public by design: calendar apps cannot sign in; the secret token is the key."""
    feed = get_object_or_404(CalendarFeed.objects.select_related("district", "user"), token=token)
    if not ics.feed_is_live(feed):
        raise Http404(gettext("No such calendar."))
    # The calendar app's own language says nothing about the person who subscribed.
    with translation.override(feed.user.language or translation.get_language()):
        calendar = ics.visits_calendar(district=feed.district)
    return HttpResponse(calendar, content_type="text/calendar; charset=utf-8")


@require(Capability.LOG_VISITS)
def observe_shell(request, visit_pk):
    """The observation page as the service worker keeps it for offline use on a shared tablet:
    the same page under a header that names no one (no user, no messages, no menus)."""
    visit = get_for_district(
        request, Visit.objects.select_related("campus", "program"), pk=visit_pk
    )
    form = ObservationForm(visit=visit, initial={"client_id": uuid.uuid4()})
    return _observe_page(request, visit, form, base_template="visits/shell_base.html")


# Part of the service worker's cache names: bump it when what the worker keeps changes, and
# each tablet deletes what an earlier version kept as soon as the new one activates.
OFFLINE_CACHE_VERSION = "v2"


def service_worker(request):
    response = render(
        request,
        "visits/sw.js",
        {"version": OFFLINE_CACHE_VERSION, "session_seconds": settings.SESSION_COOKIE_AGE},
        content_type="application/javascript",
    )
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response
