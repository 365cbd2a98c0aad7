"""What a report request and a retry write. Queuing the render is not done here: the caller
does it once the write commits (reports.queue for members, the nightly task in reports.tasks),
so the tasks call the services and the services never import the tasks (a contract in
pyproject.toml)."""

from django.db import transaction
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.models import District
from reports.models import Report


@transaction.atomic
def report_request(
    *,
    district_id,
    user,
    kind,
    visit=None,
    analysis=None,
    campus_plan=None,
    meeting=None,
    campus_pages=False,
    meeting_date=None,
    audience="",
    decisions="",
    language="en",
):
    """Records the request, status queued; the caller queues its render once this commits.
    The meeting date, audience and decisions are a board summary's alone."""
    district = District.objects.get(pk=district_id)
    with translation.override(language):
        if kind == Report.Kind.BOARD_SUMMARY:
            title = _("Board summary: %(district)s") % {"district": district.name}
        elif kind == Report.Kind.VISIT:
            title = _("Visit report: %(campus)s, %(date)s") % {
                "campus": visit.campus.name,
                "date": date_format(visit.date, "SHORT_DATE_FORMAT"),
            }
        elif kind == Report.Kind.CAMPUS_PLAN:
            title = _("Campus plan: %(campus)s, %(span)s") % {
                "campus": campus_plan.campus.name,
                "span": campus_plan.span,
            }
        elif kind == Report.Kind.MEETING:
            title = _("Meeting summary: %(meeting)s, %(date)s") % {
                "meeting": meeting.title,
                "date": date_format(meeting.date, "SHORT_DATE_FORMAT"),
            }
        else:
            title = _("Discovery Analysis report: %(analysis)s") % {"analysis": analysis.name}
    board = kind == Report.Kind.BOARD_SUMMARY
    report = Report.objects.create(
        district=district,
        kind=kind,
        visit=visit,
        analysis=analysis,
        campus_plan=campus_plan,
        meeting=meeting,
        campus_pages=campus_pages and board,
        meeting_date=meeting_date if board else None,
        audience=audience if board else "",
        decisions=decisions if board else "",
        title=title,
        requested_by=user,
        language=language,
    )
    return report


def report_retry(*, report):
    """Marks a failed report queued again; False if it was not failed (already retried, say).
    The caller queues its render once this commits."""
    # The member's retry earns the report a fresh set of attempts.
    updated = Report.objects.filter(pk=report.pk, status=Report.Status.FAILED).update(
        status=Report.Status.QUEUED, error="", attempts=0
    )
    return updated == 1


def report_facts_record(*, report, facts):
    """Keeps what a board summary found (each goal's status, each goal measure's latest value)
    on the report, for the next summary to say what changed since."""
    Report.objects.filter(pk=report.pk).update(facts=facts)
    report.facts = facts
