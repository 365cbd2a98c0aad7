"""Which campuses are most like a campus: a pure function of their profiles, so that the campus
page, its comparison page and Discovery's ratings all judge likeness the same way."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Profile:
    """What likeness is judged on: a campus's level, its enrollment (None when unknown) and each
    student group's share of its students ({group id: share from 0 to 1}, from its latest year
    of group counts; empty when it has none)."""

    pk: int
    level: str
    enrollment: int | None
    shares: dict = field(default_factory=dict)


def unlikeness(a, b):
    """How far apart two campuses of any level are, from 0 (alike): the gap between their
    enrollments as a share of the larger, plus the gap between each group's shares. What one of
    them does not know counts as far apart as can be, so a campus with no figures is never taken
    for the closest."""
    if a.enrollment is None or b.enrollment is None:
        distance = 1.0
    else:
        larger = max(a.enrollment, b.enrollment)
        distance = abs(a.enrollment - b.enrollment) / larger if larger else 0.0
    for group in a.shares.keys() | b.shares.keys():
        if group in a.shares and group in b.shares:
            distance += abs(a.shares[group] - b.shares[group])
        else:
            distance += 1.0
    return distance


def most_alike(campus, others, *, limit=5):
    """The `limit` profiles of `others` most like `campus` (never `campus` itself): those of its
    level first, then by unlikeness, ties broken by id so the list is the same every time."""
    candidates = (other for other in others if other.pk != campus.pk)
    ranked = sorted(
        candidates,
        key=lambda other: (other.level != campus.level, unlikeness(campus, other), other.pk),
    )
    return ranked[:limit]


def shares_of(counts, *, total_group, enrollment=None):
    """Each group's share of a campus's students from its counts ({group id: students}): of the
    *All students* group's count (`total_group`), or of `enrollment` when that count is missing;
    no shares when neither is known. The total's own share (always 1) says nothing and is left
    out."""
    total = counts.get(total_group) or enrollment
    if not total:
        return {}
    return {group: students / total for group, students in counts.items() if group != total_group}
