"""The seen-rate of a theory's look-fors month by month, as inline SVG built on the server (the
way core.charts draws the plan's charts), with the same numbers in its text alternative."""

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.charts import INK, MUTED, PLOT_FILL, PLOT_STROKE, SERIES


def seen_rate_chart(*, months, chart_id, title, width=560, height=220):
    """One point a month: the share of observations that saw the practice, out of those where
    a look-for tied to it was on the list. `months` is [(first day of the month, (seen,
    observed))], oldest first; a month without observations has no point."""
    shown = [(month, seen, observed) for month, (seen, observed) in months if observed]
    points = [(month, round(100 * seen / observed)) for month, seen, observed in shown]
    if not points:
        return ""
    pad_left, pad_right, pad_top, pad_bottom = 44, 16, 14, 34
    plot_w, plot_h = width - pad_left - pad_right, height - pad_top - pad_bottom

    def x(index):
        if len(points) == 1:
            return pad_left + plot_w / 2
        return pad_left + 12 + (plot_w - 24) * index / (len(points) - 1)

    def y(percent):
        return pad_top + plot_h * (100 - percent) / 100

    told = "; ".join(
        _("%(month)s: %(percent)s%% of %(count)s")
        % {
            "month": date_format(month, "YEAR_MONTH_FORMAT"),
            "percent": percent,
            "count": observed,
        }
        for (month, percent), (_month, _seen, observed) in zip(points, shown, strict=True)
    )
    desc = _("Share of observations that saw the practice, by month: %(months)s.") % {
        "months": told
    }
    colour = SERIES[0][0]
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'font-family="Inter, sans-serif" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
        f'<rect x="{pad_left}" y="{pad_top}" width="{plot_w}" height="{plot_h}" '
        f'fill="{PLOT_FILL}" stroke="{PLOT_STROKE}"/>',
    ]
    for percent in (0, 50, 100):
        parts.append(
            f'<text x="{pad_left - 6}" y="{y(percent) + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="{MUTED}">{percent}%</text>'
        )
    path = " ".join(f"{x(i):.1f},{y(p):.1f}" for i, (_month, p) in enumerate(points))
    if len(points) > 1:
        parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
    parts.extend(
        f'<circle cx="{x(i):.1f}" cy="{y(p):.1f}" r="3.5" fill="{colour}"/>'
        for i, (_month, p) in enumerate(points)
    )
    for index, anchor in ((0, "start"), (len(points) - 1, "end")):
        parts.append(
            f'<text x="{x(index):.1f}" y="{height - 10}" text-anchor="{anchor}" font-size="11" '
            f'fill="{INK}">{escape(date_format(points[index][0], "YEAR_MONTH_FORMAT"))}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
