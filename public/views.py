import logging
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.services import client_ip
from core.forms import add_service_errors
from core.numbers import whole_number
from core.roles import Capability, can, forbidden, require
from core.tenancy import get_for_district
from core.versioning import EditConflict, conflict_context
from district_plan.documents import public_document
from district_plan.models import Goal
from public import selectors, services, spam
from public.forms import (
    AnswerForm,
    FeedbackFilterForm,
    FeedbackForm,
    LinkForm,
    PublicationForm,
    ResponseForm,
)
from public.models import Feedback

log = logging.getLogger(__name__)

LANGUAGES = dict(settings.LANGUAGES)
CACHE_SECONDS = 24 * 60 * 60
FEEDBACK_PAGE = 50


def _page_html(*, district, document, language, today, preview=False):
    with translation.override(language):
        context = selectors.public_plan_page(district=district, document=document, today=today)
        context |= {
            "language": language,
            "languages": [
                (code, LANGUAGES[code], reverse("public:plan_in", args=[district.slug, code]))
                for code in (LANGUAGES if preview else district.public_languages)
            ],
            "preview": preview,
            # Who leads a theory is named as the district wrote it, in English.
            "source_lang": (
                ""
                if language == settings.LANGUAGE_CODE
                else format_html(' lang="{}"', settings.LANGUAGE_CODE)
            ),
        }
        return render_to_string("public/plan.html", context)


def _cache_get(key):
    # The cache only makes the page fast: if it is down, the page is built every time.
    try:
        return cache.get(key)
    except Exception:
        log.warning("Cache unavailable; building the public page", exc_info=True)
        return None


def _cache_set(key, html):
    try:
        cache.set(key, html, CACHE_SECONDS)
    except Exception:
        log.warning("Cache unavailable; the public page was not kept", exc_info=True)


@require_GET
def plan_page(request, slug, language=None):
    """The district's plan as the board adopted it or an admin last published it, for families
    and partners: no sign-in, no JavaScript, in the language the address names or, at the bare
    address, the browser's language."""
    negotiated = language is None
    district = selectors.published_district(slug)
    if negotiated:
        language = translation.get_language_from_request(request)
        if language not in district.public_languages:
            language = settings.LANGUAGE_CODE
    elif language not in district.public_languages:
        # Published only in the languages the district translated the plan into.
        raise Http404("The plan is not published in this language.")
    plan = selectors.adopted_plan(district)
    if plan is None or plan.public_snapshot_id is None:
        raise Http404("This district has no adopted plan.")
    today = timezone.localdate()
    key = selectors.public_cache_key(district=district, plan=plan, language=language, today=today)
    html = _cache_get(key)
    if html is None:
        html = _page_html(
            district=district,
            document=selectors.published_document(plan),
            language=language,
            today=today,
        )
        _cache_set(key, html)
    response = HttpResponse(html)
    response["Content-Language"] = language
    if negotiated:
        patch_vary_headers(response, ["Accept-Language"])
    return response


@require(Capability.EDIT_PLAN)
def manage(request):
    district = request.district
    if request.method == "POST":
        if not can(request.membership, Capability.MANAGE_DISTRICT):
            return forbidden(request, _("publish the plan"))
        form = PublicationForm(request.POST)
        if form.is_valid():
            try:
                district = services.publication_set(
                    district=district, user=request.user, **form.cleaned_data
                )
            except ValidationError as refusal:
                add_service_errors(form, refusal)
            else:
                messages.success(
                    request,
                    _("The plan is now public.")
                    if district.plan_published
                    else _("The plan is not public."),
                )
                return redirect("publication:manage", district.slug)
    else:
        form = PublicationForm(
            initial={
                "plan_published": district.plan_published,
                "public_shows_names": district.public_shows_names,
                "public_translations": district.public_translations,
            }
        )
    plan = selectors.adopted_plan(district)
    published = selectors.published_document(plan) if plan else None
    translated, total = selectors.translation_counts(published)["es"]
    return render(
        request,
        "public/manage.html",
        {
            "form": form,
            "plan": plan,
            "may_publish": can(request.membership, Capability.MANAGE_DISTRICT),
            "public_url": request.build_absolute_uri(reverse("public:plan", args=[district.slug])),
            "languages": LANGUAGES,
            "feedback_counts": selectors.feedback_status_counts(district=district),
            "spanish": {"translated": translated, "total": total},
            **(selectors.pending_changes(plan, published=published) if plan else {}),
        },
    )


@require(Capability.MANAGE_DISTRICT)
def publish(request):
    """The admin reviews what changed since the public page was last published, then
    publishes exactly that."""
    plan = selectors.adopted_plan(request.district)
    if plan is not None and request.method == "POST":
        try:
            services.plan_publish(
                plan=plan, user=request.user, reviewed=request.POST.get("reviewed", "")
            )
        except ValidationError:
            messages.error(
                request,
                _("The plan changed while you were reviewing it. Review the changes again."),
            )
        else:
            messages.success(request, _("The public page now shows the plan as it is."))
            return redirect("publication:manage", request.district.slug)
    return render(
        request,
        "public/publish.html",
        {"plan": plan, **(selectors.pending_changes(plan) if plan else {})},
    )


@require(Capability.EDIT_PLAN)
def preview(request, language):
    """What the public page will show once the plan as it is now is published."""
    if language not in LANGUAGES:
        raise Http404("No such language.")
    plan = selectors.adopted_plan(request.district)
    if plan is None:
        raise Http404("This district has no adopted plan.")
    html = _page_html(
        district=request.district,
        document=public_document(plan),
        language=language,
        today=timezone.localdate(),
        preview=True,
    )
    response = HttpResponse(html)
    response["Content-Language"] = language
    return response


# --- Feedback from families and the community --------------------------------------------------


def _published(slug, language):
    """The district and its adopted plan, when its public page answers in `language`; else
    404."""
    district = selectors.published_district(slug)
    if language not in district.public_languages:
        raise Http404("The plan is not published in this language.")
    plan = selectors.adopted_plan(district)
    if plan is None or plan.public_snapshot_id is None:
        raise Http404("This district has no adopted plan.")
    return district, plan


def _in_language(view):
    """Runs a public feedback view in the language its address names (404 for another), so
    its labels and every message, Django's own included, are in the reader's language."""

    @wraps(view)
    def wrapped(request, slug, language, **kwargs):
        if language not in LANGUAGES:
            raise Http404("No such language.")
        with translation.override(language):
            response = view(request, slug, language, **kwargs)
        response["Content-Language"] = language
        return response

    return wrapped


def _public_context(district, language, view_name, query=""):
    return {
        "district": district,
        "language": language,
        "plan_url": reverse("public:plan_in", args=[district.slug, language]),
        "languages": [
            (code, name, reverse(view_name, args=[district.slug, code]) + query)
            for code, name in LANGUAGES.items()
            if code in district.public_languages
        ],
    }


@require_GET
def feedback_negotiated(request, slug):
    """The form's bare address follows the browser's language, as the plan page's does."""
    district = selectors.published_district(slug)
    language = translation.get_language_from_request(request)
    if language not in district.public_languages:
        language = settings.LANGUAGE_CODE
    url = reverse("public:feedback_in", args=[slug, language])
    goal = whole_number(request.GET.get("goal"))
    return redirect(f"{url}?goal={goal}" if goal else url)


@never_cache
@require_http_methods(["GET", "POST"])
@_in_language
def feedback(request, slug, language):
    """The feedback form for families and the community: no sign-in, about one goal or the
    whole plan. Kept apart from the cached plan page: it carries the reader's CSRF token and
    the signed moment it was drawn (public.spam)."""
    district, plan = _published(slug, language)
    goals = selectors.published_goals(district=district, plan=plan)
    address = client_ip(request)
    limited = False
    if request.method == "POST":
        form = FeedbackForm(request.POST, district=district, goals=goals)
        if spam.rate_limited(address):
            limited = True
        elif form.honeypot_filled:
            # A program filled the hidden field: it is thanked like a person and nothing is kept,
            # so it learns nothing to adapt to.
            spam.rate_count(address)
            return redirect("public:feedback_thanks", slug, language)
        elif form.is_valid():
            goal_id = form.cleaned_data["goal"]
            services.feedback_submit(
                district=district,
                goal=Goal.objects.filter(pk=goal_id, district=district).first()
                if goal_id
                else None,
                message=form.cleaned_data["message"],
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                language=language,
            )
            spam.rate_count(address)
            return redirect("public:feedback_thanks", slug, language)
        if form.fresh_start:
            form.data = form.data.copy()
            form.data["started"] = spam.started_token(district)
    else:
        goal = whole_number(request.GET.get("goal"))
        form = FeedbackForm(
            initial={
                "goal": goal if goal in dict(goals) else None,
                "started": spam.started_token(district),
            },
            district=district,
            goals=goals,
        )
    chosen = form["goal"].value()
    return render(
        request,
        "public/feedback.html",
        {
            **_public_context(
                district,
                language,
                "public:feedback_in",
                f"?goal={chosen}" if whole_number(chosen) else "",
            ),
            "form": form,
            "limited": limited,
        },
        status=429 if limited else 200,
    )


@require_GET
@_in_language
def feedback_thanks(request, slug, language):
    district, _plan = _published(slug, language)
    return render(
        request,
        "public/feedback_thanks.html",
        {
            **_public_context(district, language, "public:feedback_thanks"),
            "form_url": reverse("public:feedback_in", args=[slug, language]),
        },
    )


def _feedback(request, feedback_pk):
    return get_for_district(
        request,
        Feedback.objects.select_related("goal", "meeting", "finding", "answered_by"),
        pk=feedback_pk,
    )


@require(Capability.EDIT_PLAN)
@require_GET
def feedback_list(request):
    """The moderation queue: messages waiting for an answer first, filterable by status, goal
    and language, 50 a page."""
    form = FeedbackFilterForm(request.GET or None, district=request.district)
    filters = form.filters()
    rows = selectors.feedback_queue(district=request.district, **filters)
    page = Paginator(rows, FEEDBACK_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "public/feedback_list.html",
        {
            "form": form,
            "status": filters["status"],
            "statuses": [
                (value, label, count)
                for (value, label), count in zip(
                    Feedback.Status.choices,
                    selectors.feedback_status_counts(district=request.district).values(),
                    strict=True,
                )
            ],
            "page": page,
            "query": query.urlencode(),
        },
    )


def _detail(request, feedback, *, status=200, **overrides):
    """The item page, with the forms as stored unless a form is shown again (`overrides`)."""
    version = feedback.version
    context = {
        "feedback": feedback,
        "answer_form": AnswerForm(initial={"answer": feedback.answer, "version": version}),
        "response_form": ResponseForm(
            initial={
                "response": feedback.response,
                "response_language": feedback.response_language or feedback.language,
                "publish": feedback.response_published_at is not None,
                "version": version,
            }
        ),
        "link_form": LinkForm(
            initial={
                "goal": feedback.goal_id,
                "meeting": feedback.meeting_id,
                "finding": feedback.finding_id,
                "version": version,
            },
            district=request.district,
        ),
        "queue_url": reverse("publication:feedback_list", args=[request.district.slug]),
        # Cancel, or taking the other member's version after a conflict, reads the page anew.
        "back_url": reverse("publication:feedback", args=[request.district.slug, feedback.pk]),
    }
    return render(request, "public/feedback_detail.html", context | overrides, status=status)


@require(Capability.EDIT_PLAN)
def feedback_detail(request, feedback_pk):
    # Looked up first, so another district's message is a 404 whatever the method.
    feedback = _feedback(request, feedback_pk)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return _detail(request, feedback)


def _moderate(request, feedback_pk, *, form, name, save, done):
    """One of the item page's forms: saved by `save(feedback, cleaned_data)`, then back to the
    item page with `done` said; a refusal or a conflict shows the page again with the form as
    typed, its message next to its field."""
    feedback = _feedback(request, feedback_pk)
    if form.is_valid():
        try:
            save(feedback, form.cleaned_data)
        except EditConflict as conflict:
            return _detail(
                request,
                feedback,
                **{
                    f"{name}_form": form,
                    f"{name}_conflict": conflict_context(form=form, conflict=conflict),
                },
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done)
            return redirect("publication:feedback", request.district.slug, feedback.pk)
    return _detail(request, feedback, **{f"{name}_form": form})


@require(Capability.EDIT_PLAN)
@require_POST
def feedback_answer(request, feedback_pk):
    return _moderate(
        request,
        feedback_pk,
        form=AnswerForm(request.POST),
        name="answer",
        save=lambda feedback, data: services.feedback_answer(
            feedback=feedback,
            expected_version=data["version"],
            user=request.user,
            answer=data["answer"],
        ),
        done=_("Answer saved."),
    )


@require(Capability.EDIT_PLAN)
@require_POST
def feedback_response(request, feedback_pk):
    return _moderate(
        request,
        feedback_pk,
        form=ResponseForm(request.POST),
        name="response",
        save=lambda feedback, data: services.feedback_respond(
            feedback=feedback,
            expected_version=data["version"],
            user=request.user,
            response=data["response"],
            response_language=data["response_language"],
            publish=data["publish"],
        ),
        done=_("Public response saved."),
    )


@require(Capability.EDIT_PLAN)
@require_POST
def feedback_link(request, feedback_pk):
    return _moderate(
        request,
        feedback_pk,
        form=LinkForm(request.POST, district=request.district),
        name="link",
        save=lambda feedback, data: services.feedback_link(
            feedback=feedback,
            expected_version=data["version"],
            user=request.user,
            goal=data["goal"],
            meeting=data["meeting"],
            finding=data["finding"],
        ),
        done=_("Links saved."),
    )


@require(Capability.EDIT_PLAN)
@require_POST
def feedback_archive(request, feedback_pk, archived):
    feedback = services.feedback_archive(
        feedback=_feedback(request, feedback_pk), user=request.user, archived=archived
    )
    messages.success(request, _("Feedback archived.") if archived else _("Feedback restored."))
    return redirect("publication:feedback", request.district.slug, feedback.pk)
