"""A member's request or retry of a report: the report's row is written (reports.services) and,
once that commits, its render is queued (reports.tasks.enqueue_render), so a worker never looks
for a report that is not saved yet, nor misses one whose request was rolled back."""

from django.db import transaction

from reports import services, tasks


@transaction.atomic
def request_report(**request):
    """Records the request (reports.services.report_request) and queues its render."""
    report = services.report_request(**request)
    transaction.on_commit(lambda: tasks.enqueue_render(report.pk))
    return report


@transaction.atomic
def retry_report(*, report):
    """Queues a failed report again with fresh attempts; False if it was not failed."""
    retried = services.report_retry(report=report)
    if retried:
        transaction.on_commit(lambda: tasks.enqueue_render(report.pk))
    return retried
