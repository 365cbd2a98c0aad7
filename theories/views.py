"""Theories of action, edited in place.

One URL per resource. An htmx request gets the partial of the element it targets; a normal
request gets the whole page and, after a POST, a redirect back to the theories page.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from core import hooks as core_hooks
from core.csv_export import SafeWriter, csv_response
from core.folds import OPEN, Fold, asked_open, fold_url, target_key
from core.fragments import cached_fragment
from core.history import history, record_events
from core.inplace_edit import versioned_edit
from core.numbers import whole_number
from core.roles import Capability, require
from core.tenancy import get_for_district
from district_plan.selectors import current_plan, plans_for_district
from theories import hooks, services
from theories.chain import Link
from theories.forms import (
    ActionForm,
    ImportRowFormSet,
    PasteForm,
    StrandForm,
    TheoryFilterForm,
    TheoryForm,
)
from theories.models import Action, Strand, TheoryOfAction
from theories.paste_import import parse_lines
from theories.selectors import (
    failing_filter,
    strand_cards,
    strand_summaries,
    strands_context,
    theories_page,
    theories_with_parts,
    theory_card,
    theory_filter,
    theory_history,
    theory_links,
)
from theories.selectors import strand_links as strand_links_of

PAGE = "theories/index.html"
DETAIL = "theories/theory_detail.html"


def _index_url(request, anchor="", *, open_strand=None):
    """The theories page, landing on `anchor`, with `open_strand` open."""
    url = reverse("theories:index", args=[request.district.slug])
    if open_strand is not None:
        return fold_url(url, open_strand, anchor=anchor)
    return f"{url}#{anchor}" if anchor else url


def _theory_url(request, theory):
    """The theories page with the theory's strand open, landing on its card."""
    return _index_url(request, f"theory-{theory.pk}", open_strand=theory.strand_id)


def _filter(request):
    """The page's filter form, what it finds (theories.selectors.theory_filter) and the link
    `?failing=<link>` narrows it to (the theories whose link is not moving, theories.chain):
    {"value": the link kept, "unknown": whether the value asked named no link, and was left out}."""
    form = TheoryFilterForm(request.GET or None, district=request.district)
    data = form.cleaned_data if form.is_valid() else {}
    found = theory_filter(
        text=data.get("q", ""), status=data.get("status", ""), goal=data.get("goal")
    )
    params = [(name, data.get(name) or "") for name in ("q", "status", "goal")]
    asked = request.GET.get("failing", "")
    failing = failing_filter(district=request.district, link=asked)
    if failing is None:
        return form, found, params, {"value": "", "unknown": bool(asked)}
    found = failing if found is None else found & failing
    return form, found, [*params, ("failing", asked)], {"value": asked, "unknown": False}


def _folded(request, context, params=()):
    """Gives each strand its fold (core.folds): open, or with the ids of its cards so a link
    to one opens it."""
    path = reverse("theories:index", args=[request.district.slug])
    for strand in context["strands"]:
        strand.fold = Fold(
            id=f"strand-{strand.pk}-theories",
            url=fold_url(path, strand.pk, params=params, anchor=f"strand-{strand.pk}"),
            name=strand.name,
            open=strand.open,
            anchors=[] if strand.open else [f"theory-{pk}" for pk in strand.theory_ids],
        )
    return context


def _strands_response(request, *opened):
    """The strands again after an edit, with the strands the editor had open (each open
    strand's body carries an `open` field the page's forms send along) and `opened`."""
    context = strands_context(
        district=request.district, open_ids=[*request.POST.getlist(OPEN), *opened]
    )
    response = render(request, f"{PAGE}#strands", _folded(request, context))
    return reswap(retarget(response, "#strands"), "outerHTML")


def _card(request, theory):
    """The theory's card, and its strand's summary, whose counts the edit may have changed."""
    card = theory_card(district=request.district, pk=theory.pk)
    [strand] = strand_summaries(district=request.district, strand=card.strand_id)
    return render(request, f"{PAGE}#theory-card", {"theory": card, "summary_of": strand})


def _current_plan(request):
    return current_plan(plans_for_district(request.district))


def index(request):
    """The strands folded with their counts; `?open=<strand>` opens one, and an htmx request
    aimed at a strand's body gets its cards alone. A filter opens the strands it finds
    theories in, showing those."""
    form, found, params, failing = _filter(request)
    key = target_key(request, "strand-", "-theories")
    if key is not None:
        strand = get_for_district(request, Strand, pk=whole_number(key))
        strand_cards(district=request.district, strands=[strand], found=found)
        return render(request, f"{PAGE}#strand-theories", {"strand": strand})
    if request.htmx and request.htmx.target == "strands":
        context = strands_context(
            district=request.district, open_ids=asked_open(request), found=found
        )
        return render(request, f"{PAGE}#strands", _folded(request, context, params))
    context = theories_page(district=request.district, open_ids=asked_open(request), found=found)
    return render(
        request,
        PAGE,
        _folded(request, context, params)
        | {"filter_form": form, "failing": failing, "links": Link.choices},
    )


# Strands


@require(Capability.EDIT_PLAN)
@require_POST
def strand_create(request):
    form = StrandForm(request.POST, district=request.district)
    if form.is_valid():
        services.strand_create(district=request.district, user=request.user, **form.model_data())
        if request.htmx:
            return _strands_response(request)
        messages.success(request, gettext("Strand added."))
        return redirect(_index_url(request))
    if request.htmx:
        return render(request, f"{PAGE}#new-strand-form", {"strand_form": form})
    return render(request, "theories/strand_form.html", {"form": form})


@require(Capability.EDIT_PLAN)
def strand(request, strand_pk):
    """GET: the strand's heading (or its edit form with ?edit); POST: rename it."""
    strand = get_for_district(request, Strand, pk=strand_pk)
    if request.method == "POST" or "edit" in request.GET:
        return versioned_edit(
            request,
            instance=strand,
            form_class=StrandForm,
            form_kwargs={"district": request.district},
            save=lambda form, **edit: services.strand_update(
                strand=strand, **edit, **form.model_data()
            ),
            template="theories/strand_form.html",
            partial=f"{PAGE}#strand-form",
            context={"strand": strand},
            saved_fragment=lambda saved: render(request, f"{PAGE}#strand-head", {"strand": saved}),
            success_url=lambda saved: _index_url(request, f"strand-{saved.pk}"),
        )
    if "add_link" in request.GET:
        return render(request, f"{PAGE}#add-theory-link", {"strand": strand})
    return render(request, f"{PAGE}#strand-head", {"strand": strand})


@require(Capability.EDIT_PLAN)
def strand_delete(request, strand_pk):
    strand = get_for_district(request, Strand, pk=strand_pk)
    if request.method != "POST":
        return render(
            request, "theories/confirm_delete.html", {"object": strand, "kind": gettext("strand")}
        )
    try:
        services.strand_delete(strand=strand, user=request.user)
    except ValidationError as exc:
        if request.htmx:
            response = HttpResponse(f'<p class="notice bad" role="alert">{exc.messages[0]}</p>')
            return reswap(retarget(response, f"#strand-{strand.pk}-message"), "innerHTML")
        messages.error(request, exc.messages[0])
        return redirect(_index_url(request, f"strand-{strand.pk}"))
    if request.htmx:
        return _strands_response(request)
    messages.success(request, gettext("Strand “%(name)s” deleted.") % {"name": strand.name})
    return redirect(_index_url(request))


@require(Capability.EDIT_PLAN)
@require_POST
def strand_move(request, strand_pk):
    strand = get_for_district(request, Strand, pk=strand_pk)
    services.strand_move(strand=strand, offset=_offset(request), user=request.user)
    if request.htmx:
        return _strands_response(request)
    return redirect(_index_url(request, f"strand-{strand.pk}"))


def _offset(request):
    try:
        return max(-1000, min(1000, int(request.POST.get("offset", "0"))))
    except ValueError:
        return 0


# Theories


@require(Capability.EDIT_PLAN)
def theory_create(request):
    strand = None
    if whole_number(request.GET.get("strand")) is not None:
        strand = get_for_district(request, Strand, pk=request.GET["strand"])
    if request.method == "POST":
        form = TheoryForm(request.POST, district=request.district, plan=_current_plan(request))
        if form.is_valid():
            theory = services.theory_create(
                district=request.district,
                user=request.user,
                goals=form.cleaned_data["goals"],
                focus_areas=form.cleaned_data["focus_areas"],
                **form.model_data(),
            )
            if request.htmx:
                return _strands_response(request, theory.strand_id)
            messages.success(request, gettext("Theory of action added."))
            return redirect(_theory_url(request, theory))
        strand = form.cleaned_data.get("strand") or strand
    else:
        form = TheoryForm(
            initial={"strand": strand}, district=request.district, plan=_current_plan(request)
        )
    context = {"form": form, "strand": strand}
    if request.htmx:
        return render(request, f"{PAGE}#new-theory-form", context)
    return render(request, "theories/theory_form.html", context)


def theory(request, theory_pk):
    """GET: the theory (its card for htmx, its page otherwise); POST: save an edit."""
    theory = get_for_district(
        request, TheoryOfAction.objects.select_related("strand"), pk=theory_pk
    )
    if request.method == "POST":
        return _theory_edit(request, theory)
    if request.htmx:
        return _card(request, theory)
    card = theory_card(district=request.district, pk=theory.pk)
    learning = hooks.theory_learning.ask(district=request.district, theory=theory)
    decided = core_hooks.decisions_about.ask(
        district_id=request.district.pk, about={"theory": [theory.pk]}
    )
    # Judging the links and counting the evidence read most of the page's time and change only
    # with the district's records or a new observation: both panels are kept until then.
    found = {}

    def evidence():
        if "evidence" not in found:
            found["evidence"] = hooks.theory_evidence_detail.ask(theory=theory)
        return found["evidence"]

    def links():
        return {
            "theory": card,
            "evidence": evidence(),
            **theory_links(district=request.district, theory=card, evidence=evidence()),
        }

    key = (theory.pk, hooks.observations_marker.ask(district=request.district))
    return render(
        request,
        DETAIL,
        {
            "theory": card,
            "learning": learning,
            "decided": decided.get(("theory", theory.pk), ()),
            "links_panel": cached_fragment(
                request, f"{DETAIL}#links-panel", key=key, context=links
            ),
            "evidence_panel": cached_fragment(
                request,
                f"{DETAIL}#evidence-panel",
                key=key,
                context=lambda: {"theory": card, "evidence": evidence()},
            ),
        },
    )


def strand_links(request, strand_pk):
    """The strand's theories, each with the status of its IF, THEN and SO THAT."""
    strand = get_for_district(request, Strand, pk=strand_pk)
    context = strand_links_of(district=request.district, strand=strand)
    return render(request, "theories/strand_links.html", context | {"strand": strand})


@require(Capability.EDIT_PLAN)
def theory_edit(request, theory_pk):
    theory = get_for_district(request, TheoryOfAction, pk=theory_pk)
    return _theory_edit(request, theory)


@require(Capability.EDIT_PLAN)
def _theory_edit(request, theory):
    """The theory's edit form (GET, from theory_edit) and its save (POST, to theory)."""
    old_strand = theory.strand_id

    def saved_fragment(saved):
        if saved.strand_id != old_strand:
            return _strands_response(request, old_strand, saved.strand_id)
        return _card(request, saved)

    return versioned_edit(
        request,
        instance=theory,
        form_class=TheoryForm,
        form_kwargs={"district": request.district, "plan": _current_plan(request)},
        save=lambda form, **edit: services.theory_update(
            theory=theory, data=form.model_data(), **edit, **form.m2m_data()
        ),
        template="theories/theory_form.html",
        partial=f"{PAGE}#theory-form",
        context={"theory": theory},
        saved_fragment=saved_fragment,
        message=gettext("Theory of action saved."),
        success_url=lambda saved: _theory_url(request, saved),
    )


@require(Capability.EDIT_PLAN)
def theory_delete(request, theory_pk):
    theory = get_for_district(request, TheoryOfAction, pk=theory_pk)
    if request.method != "POST":
        return render(
            request,
            "theories/confirm_delete.html",
            {"object": theory, "kind": gettext("theory of action")},
        )
    services.theory_delete(theory=theory, user=request.user)
    if request.htmx:
        # The card goes; its strand's counts, drawn out of band, go down by one.
        [strand] = strand_summaries(district=request.district, strand=theory.strand_id)
        return render(request, f"{PAGE}#strand-summary", {"strand": strand, "oob": True})
    messages.success(request, gettext("Theory of action deleted."))
    return redirect(_index_url(request, f"strand-{theory.strand_id}", open_strand=theory.strand_id))


@require(Capability.EDIT_PLAN)
@require_POST
def theory_move(request, theory_pk):
    theory = get_for_district(request, TheoryOfAction, pk=theory_pk)
    services.theory_move(theory=theory, offset=_offset(request), user=request.user)
    if request.htmx:
        return _strands_response(request, theory.strand_id)
    return redirect(_theory_url(request, theory))


def theory_history_page(request, theory_pk):
    theory = get_for_district(request, TheoryOfAction, pk=theory_pk)
    return render(
        request,
        "core/history.html",
        {
            "object": theory,
            "entries": theory_history(theory),
            "several_records": True,
            "back_url": _theory_url(request, theory),
        },
    )


# Actions


@require(Capability.EDIT_PLAN)
def action_create(request, theory_pk):
    theory = get_for_district(request, TheoryOfAction, pk=theory_pk)
    form = ActionForm(request.POST or None, theory=theory)
    if request.method == "POST" and form.is_valid():
        services.action_create(theory=theory, user=request.user, **form.model_data())
        if request.htmx:
            # The form sits inside the card; the saved action redraws the whole card.
            return reswap(retarget(_card(request, theory), f"#theory-{theory.pk}"), "outerHTML")
        messages.success(request, gettext("Action added."))
        return redirect(_theory_url(request, theory))
    context = {"form": form, "theory": theory}
    if request.htmx:
        return render(request, f"{PAGE}#new-action-form", context)
    return render(request, "theories/action_form.html", context)


@require(Capability.EDIT_PLAN)
def action(request, action_pk):
    """GET: the action's edit form; POST: save it."""
    action = get_for_district(request, Action.objects.select_related("theory"), pk=action_pk)
    theory = action.theory
    return versioned_edit(
        request,
        instance=action,
        form_class=ActionForm,
        form_kwargs={"theory": theory},
        save=lambda form, **edit: services.action_update(
            action=action, data=form.model_data(), **edit
        ),
        template="theories/action_form.html",
        partial=f"{PAGE}#action-form",
        context={"action": action, "theory": theory},
        saved_fragment=lambda saved: _card(request, theory),
        message=gettext("Action saved."),
        success_url=lambda saved: _theory_url(request, theory),
    )


@require(Capability.EDIT_PLAN)
def action_delete(request, action_pk):
    action = get_for_district(request, Action.objects.select_related("theory"), pk=action_pk)
    if request.method != "POST":
        return render(
            request, "theories/confirm_delete.html", {"object": action, "kind": gettext("action")}
        )
    services.action_delete(action=action, user=request.user)
    if request.htmx:
        return _card(request, action.theory)
    messages.success(request, gettext("Action deleted."))
    return redirect(_theory_url(request, action.theory))


def action_history(request, action_pk):
    action = get_for_district(request, Action.objects.select_related("theory"), pk=action_pk)
    return render(
        request,
        "core/history.html",
        {
            "object": action,
            "entries": history([record_events(action)]),
            "back_url": _theory_url(request, action.theory),
        },
    )


# Paste import


@require(Capability.EDIT_PLAN)
def paste_import(request):
    """Paste → preview (every row editable) → confirm. Nothing is saved before the confirm."""
    if request.method == "POST" and "form-TOTAL_FORMS" in request.POST:
        formset = ImportRowFormSet(request.POST)
        if formset.is_valid():
            rows = [f.cleaned_data for f in formset if f.cleaned_data.get("include")]
            if rows:
                created = services.theories_import(
                    district=request.district, user=request.user, strands=_group(rows)
                )
                messages.success(
                    request, gettext("Imported %(count)s theories of action.") % {"count": created}
                )
                return redirect(_index_url(request))
            formset_error = gettext("Tick at least one statement to import.")
        else:
            formset_error = gettext("Some rows need fixing before anything is imported; see below.")
        return render(
            request, "theories/import_preview.html", {"formset": formset, "error": formset_error}
        )

    form = PasteForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        result = parse_lines(form.cleaned_data["lines"], form.cleaned_data["default_strand"])
        formset = ImportRowFormSet(initial=_preview_rows(result))
        return render(
            request,
            "theories/import_preview.html",
            {"formset": formset, "result": result, "strand_names": result.strands},
        )
    return render(request, "theories/import_paste.html", {"form": form})


def _preview_rows(result):
    """A row per statement found, ticked, and per line that could not be read, unticked, each
    in its strand, with why the reader is unsure of it."""
    rows = [
        {
            "include": True,
            "strand": statement.strand,
            **statement.clauses(),
            "actions": "\n".join(statement.actions),
            "note": gettext("Line %(line)s") % {"line": statement.first_line},
            "review": " ".join(statement.review),
        }
        for statement in result.statements
    ]
    for unread in result.unparsed:
        rows.append(
            {
                "include": False,
                "strand": unread.strand,
                **unread.clauses,
                "note": gettext("Line %(line)s: %(reason)s")
                % {"line": unread.line, "reason": unread.reason},
            }
        )
    return rows


def _group(rows):
    strands = {}
    for row in rows:
        statement = {k: row[k].strip() for k in ("problem", "if_clause", "then_clause", "so_that")}
        statement["actions"] = row["actions"]
        strands.setdefault(" ".join(row["strand"].split()), []).append(statement)
    return list(strands.items())


# Export


def export_csv(request):
    theories = theories_with_parts(request.district)
    response = csv_response(f"{request.district.slug}-theories")
    writer = SafeWriter(response)
    writer.writerow(
        [
            "strand",
            "short_name",
            "if",
            "then",
            "so_that",
            "status",
            "progress",
            "owner",
            "goals",
            "focus_areas",
            "measures",
            "actions",
        ]
    )
    for theory in theories:
        writer.writerow(
            [
                theory.strand.name,
                theory.short_name,
                theory.if_clause,
                theory.then_clause,
                theory.so_that,
                theory.get_status_display(),
                theory.get_progress_display(),
                theory.owner,
                "; ".join(g.title for g in theory.goal_list),
                "; ".join(f.name for f in theory.focus_area_list),
                "; ".join(m.name for m in theory.measure_list),
                len(theory.action_list),
            ]
        )
    return response
