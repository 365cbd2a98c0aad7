import hashlib
import mimetypes
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse, URLFetchingError

from reports.documents import GATHERERS, brand
from reports.pdf_tags import pdf_ua_finisher

# Relative addresses in a report (its fonts) resolve under this origin, which the fetcher
# answers from the app's static files; `.invalid` is a name that can never resolve.
STATIC_BASE = "https://static.invalid/"


class StaticOnlyFetcher(URLFetcher):
    """Lets WeasyPrint load the app's static files and inline data: images, and nothing else:
    no local file and no network address, so markup that reaches a report (a future `|safe`)
    can neither read the worker's disk into the PDF nor make the worker call another server."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith(STATIC_BASE):
            path = unquote(urlsplit(url).path).lstrip("/")
            try:
                found = finders.find(path)
            except SuspiciousFileOperation:
                found = None
            if found:
                return URLFetcherResponse(
                    url,
                    Path(found).read_bytes(),
                    {"Content-Type": mimetypes.guess_type(found)[0] or "application/octet-stream"},
                )
        raise URLFetchingError(f"A report may load only the app's static files, not {url}")


def report_html(report):
    """The report's HTML and the time its data was read."""
    data_as_of = timezone.now()
    with translation.override(report.language):
        template, context = GATHERERS[report.kind](report)
        context |= {
            "report": report,
            "brand": brand(context["district"]),
            "data_as_of": data_as_of,
            "language": report.language,
            "page_counter_css": page_counter_css(),
        }
        return render_to_string(template, context), data_as_of


def page_counter_css():
    """ "Page N of M" as a CSS `content` value, in the active language."""
    # Translators: the running footer of every PDF page; keep both placeholders.
    text = gettext("Page %(page)s of %(pages)s")
    quoted = '"' + text.replace("\\", "").replace('"', "") + '"'
    return mark_safe(
        quoted.replace("%(page)s", '" counter(page) "').replace("%(pages)s", '" counter(pages) "')
    )


def html_to_pdf(html):
    """A tagged PDF/UA document with embedded fonts; returns (bytes, page count)."""
    source = HTML(string=html, base_url=STATIC_BASE, url_fetcher=StaticOnlyFetcher())
    document = source.render()
    pdf = document.write_pdf(
        pdf_variant="pdf/ua-1",
        pdf_tags=True,
        custom_metadata=True,
        finisher=pdf_ua_finisher(source.etree_element),
    )
    return pdf, len(document.pages)


def render(report):
    started = time.monotonic()
    html, data_as_of = report_html(report)
    pdf, pages = html_to_pdf(html)
    return {
        "pdf": pdf,
        "data_as_of": data_as_of,
        "page_count": pages,
        "size_bytes": len(pdf),
        "sha256": hashlib.sha256(pdf).hexdigest(),
        "duration_ms": round((time.monotonic() - started) * 1000),
    }
