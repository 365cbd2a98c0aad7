import logging

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.roles import Capability, can, require
from public import selectors, services
from public.forms import PublicationForm

log = logging.getLogger(__name__)

LANGUAGES = dict(settings.LANGUAGES)
CACHE_SECONDS = 24 * 60 * 60


def _page_html(*, district, plan, language, today, preview=False):
    with translation.override(language):
        context = selectors.public_plan_page(district=district, plan=plan, today=today)
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
    """The district's adopted plan for families and partners: no sign-in, no JavaScript,
    in the language the address names or, at the bare address, the browser's language."""
    negotiated = language is None
    if negotiated:
        language = translation.get_language_from_request(request)
    elif language not in LANGUAGES:
        raise Http404("No such language.")
    district = selectors.published_district(slug)
    plan = selectors.adopted_plan(district)
    today = timezone.localdate()
    key = selectors.public_cache_key(district=district, plan=plan, language=language, today=today)
    html = _cache_get(key)
    if html is None:
        html = _page_html(district=district, plan=plan, language=language, today=today)
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
            return render(
                request,
                "core/forbidden.html",
                {"needed": _("publish the plan")},
                status=403,
            )
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
    try:
        plan = selectors.adopted_plan(district)
    except Http404:
        plan = None
    return render(
        request,
        "public/manage.html",
        {
            "form": form,
            "plan": plan,
            "may_publish": can(request.membership, Capability.MANAGE_DISTRICT),
            "public_url": request.build_absolute_uri(reverse("public:plan", args=[district.slug])),
            "languages": LANGUAGES,
        },
    )


@require(Capability.EDIT_PLAN)
def preview(request, language):
    """What the public page will show, before (or after) it is published."""
    if language not in LANGUAGES:
        raise Http404("No such language.")
    plan = selectors.adopted_plan(request.district)
    html = _page_html(
        district=request.district,
        plan=plan,
        language=language,
        today=timezone.localdate(),
        preview=True,
    )
    response = HttpResponse(html)
    response["Content-Language"] = language
    return response
