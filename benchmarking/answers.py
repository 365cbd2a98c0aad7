"""Discovery answers the plan's questions (district_plan.hooks): how many of the district's
findings no improvement pathway answers yet, a broken link of the plan; and a campus page's
(core.hooks): how the campus was rated."""

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from benchmarking.models import Finding
from benchmarking.selectors import campus_discovery
from comments import registry as comments_registry
from core import hooks as core_hooks
from district_plan import hooks


@hooks.plan_annotations.answer
def unanswered_findings():
    unanswered = (
        Finding.objects.filter(district_id=OuterRef("district_id"))
        .exclude(recommendations__goals__isnull=False)
        .values("district_id")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return {"unanswered_findings": Coalesce(Subquery(unanswered), 0)}


@hooks.plan_coherence_issues.answer
def findings_with_no_response(*, plan):
    count = getattr(plan, "unanswered_findings", 0)
    if not count:
        return []
    return [
        (
            gettext("Discovery findings with no response"),
            ngettext(
                "%(count)s finding that no improvement pathway answers yet",
                "%(count)s findings that no improvement pathway answers yet",
                count,
            )
            % {"count": count},
            "",
            "discovery",
        )
    ]


@core_hooks.campus_sections.answer
def campus_section(*, campus, membership, today):
    found = campus_discovery(campus=campus)
    if found is None:
        return None
    return core_hooks.CampusSection(
        order=20, template="benchmarking/_campus_section.html", context=found
    )


# Comments (comments.registry): a finding, on its analysis's findings page.
comments_registry.register(
    Finding,
    kind="finding",
    label=_("finding"),
    url=lambda finding: (
        reverse("discovery:findings", args=[finding.district.slug, finding.analysis_id])
        + f"#finding-{finding.pk}"
    ),
)
