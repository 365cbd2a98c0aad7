import logging

from django.db import transaction
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.models import District
from reports.models import Report
from reports.tasks import render_report

log = logging.getLogger(__name__)

BROKER_DOWN = gettext_noop(
    "The report service could not be reached, so this report was not started. "
    "Nothing was lost; retry it in a minute."
)


def _enqueue(report_id):
    try:
        render_report.delay(report_id)
    except Exception:
        # Without a broker the web keeps working; the request says why it did not start.
        log.exception("Could not enqueue report %s", report_id)
        Report.objects.filter(pk=report_id, status=Report.Status.QUEUED).update(
            status=Report.Status.FAILED, error=BROKER_DOWN
        )


@transaction.atomic
def report_request(*, district_id, user, kind, visit=None, analysis=None, language="en"):
    """Records the request and queues its rendering once the request is saved."""
    district = District.objects.get(pk=district_id)
    with translation.override(language):
        if kind == Report.Kind.BOARD_SUMMARY:
            title = _("Board summary: %(district)s") % {"district": district.name}
        elif kind == Report.Kind.VISIT:
            title = _("Visit report: %(campus)s, %(date)s") % {
                "campus": visit.campus.name,
                "date": date_format(visit.date, "SHORT_DATE_FORMAT"),
            }
        else:
            title = _("Discovery Analysis report: %(analysis)s") % {"analysis": analysis.name}
    report = Report.objects.create(
        district=district,
        kind=kind,
        visit=visit,
        analysis=analysis,
        title=title,
        requested_by=user,
        language=language,
    )
    transaction.on_commit(lambda: _enqueue(report.pk))
    return report


@transaction.atomic
def report_retry(*, report):
    # The member's retry earns the report a fresh set of attempts.
    updated = Report.objects.filter(pk=report.pk, status=Report.Status.FAILED).update(
        status=Report.Status.QUEUED, error="", attempts=0
    )
    if updated:
        transaction.on_commit(lambda: _enqueue(report.pk))
    return updated == 1
