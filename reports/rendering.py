import hashlib
import time

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from weasyprint import HTML

from reports.documents import GATHERERS

STATIC_BASE = (settings.BASE_DIR / "static").as_uri() + "/"


def report_html(report):
    """The report's HTML and the time its data was read."""
    data_as_of = timezone.now()
    with translation.override(report.language):
        template, context = GATHERERS[report.kind](report)
        context |= {
            "report": report,
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
    document = HTML(string=html, base_url=STATIC_BASE).render()
    pdf = document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True, custom_metadata=True)
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
