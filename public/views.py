import logging

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.roles import Capability, can, forbidden, require
from district_plan.documents import public_document
from public import selectors, services
from public.forms import PublicationForm

log = logging.getLogger(__name__)

LANGUAGES = dict(settings.LANGUAGES)
CACHE_SECONDS = 24 * 60 * 60


def _page_html(*, district, document, language, today, preview=False):
    with translation.override(language):
        context = selectors.public_plan_page(district=district, document=document, today=today)
        context |= {
            "language": language,
            "languages": [
                (code, name, reverse("public:plan_in", args=[district.slug, code]))
                for code, name in LANGUAGES.items()
            ],
            "preview": preview,
            # What the district typed is in its own language; marking it lets a screen
            # reader on the Spanish page pronounce an English goal as English.
            "content_lang": (
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
    if negotiated:
        language = translation.get_language_from_request(request)
    elif language not in LANGUAGES:
        raise Http404("No such language.")
    district = selectors.published_district(slug)
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
            district = services.publication_set(
                district=district, user=request.user, **form.cleaned_data
            )
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
            }
        )
    plan = selectors.adopted_plan(district)
    return render(
        request,
        "public/manage.html",
        {
            "form": form,
            "plan": plan,
            "may_publish": can(request.membership, Capability.MANAGE_DISTRICT),
            "public_url": request.build_absolute_uri(reverse("public:plan", args=[district.slug])),
            "languages": LANGUAGES,
            **(selectors.pending_changes(plan) if plan else {}),
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
