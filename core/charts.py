"""Charts as inline SVG built on the server, so the page and the PDF draw the same chart."""

from decimal import Decimal

from django.utils.formats import date_format, number_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _


def _number(value):
    """Up to two decimals, without trailing zeros, with the active language's separator."""
    return number_format(Decimal(value).quantize(Decimal("0.01")).normalize())


def _day(day):
    return date_format(day, "SHORT_DATE_FORMAT")


def measure_chart(*, measure, values, chart_id, width=560, height=220):
    """Baseline, the straight path to the target, the target line and the recorded values."""
    pad_left, pad_right, pad_top, pad_bottom = 56, 16, 16, 36
    plot_w, plot_h = width - pad_left - pad_right, height - pad_top - pad_bottom
    points = [(measure.baseline_date, Decimal(measure.baseline))]
    points += [(v.observed_on, Decimal(v.value)) for v in values]
    first_day = measure.baseline_date
    last_day = max([measure.target_date] + [day for day, _ in points])
    ys = [Decimal(measure.target)] + [value for _, value in points]
    low, high = min(ys), max(ys)
    margin = (high - low) * Decimal("0.1") or Decimal(1)
    low, high = low - margin, high + margin
    span_days = (last_day - first_day).days or 1

    def x(day):
        return pad_left + plot_w * (day - first_day).days / span_days

    def y(value):
        return pad_top + plot_h * float((high - Decimal(value)) / (high - low))

    latest = values[-1] if values else None
    unit = measure.unit
    baseline = _("Baseline %(value)s %(unit)s on %(day)s") % {
        "value": _number(measure.baseline),
        "unit": unit,
        "day": _day(measure.baseline_date),
    }
    if latest:
        now = _("latest %(value)s %(unit)s on %(day)s") % {
            "value": _number(latest.value),
            "unit": unit,
            "day": _day(latest.observed_on),
        }
    else:
        now = _("no value recorded yet")
    target = _("target %(value)s %(unit)s by %(day)s") % {
        "value": _number(measure.target),
        "unit": unit,
        "day": _day(measure.target_date),
    }
    summary = f"{baseline}; {now}; {target}."
    target_label = _("Target")
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" font-family="Inter, sans-serif" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(measure.name)}</title>',
        f'<desc id="{chart_id}-desc">{escape(summary)}</desc>',
        f'<rect x="{pad_left}" y="{pad_top}" width="{plot_w}" height="{plot_h}" fill="#f7f9fc" stroke="#d5dbe3"/>',
    ]
    for value in (low + margin, (low + high) / 2, high - margin):
        parts.append(
            f'<text x="{pad_left - 6}" y="{y(value) + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="#4a5565">{escape(_number(value))}</text>'
        )
    parts.append(
        f'<line x1="{pad_left}" x2="{pad_left + plot_w}" y1="{y(measure.target):.1f}" '
        f'y2="{y(measure.target):.1f}" stroke="#1d6b3a" stroke-dasharray="6 4" stroke-width="1.5"/>'
        f'<text x="{pad_left + plot_w - 4}" y="{y(measure.target) - 5:.1f}" text-anchor="end" '
        f'font-size="11" fill="#1d6b3a">{escape(target_label)} {escape(_number(measure.target))}</text>'
    )
    parts.append(
        f'<line x1="{x(measure.baseline_date):.1f}" y1="{y(measure.baseline):.1f}" '
        f'x2="{x(measure.target_date):.1f}" y2="{y(measure.target):.1f}" stroke="#8792a2" '
        f'stroke-dasharray="2 4" stroke-width="1.5"/>'
    )
    path = " ".join(f"{x(day):.1f},{y(value):.1f}" for day, value in points)
    parts.append(f'<polyline points="{path}" fill="none" stroke="#1f4e8c" stroke-width="2.5"/>')
    for day, value in points:
        parts.append(f'<circle cx="{x(day):.1f}" cy="{y(value):.1f}" r="3.5" fill="#1f4e8c"/>')
    for day, anchor in ((first_day, "start"), (last_day, "end")):
        parts.append(
            f'<text x="{x(day):.1f}" y="{height - 12}" text-anchor="{anchor}" font-size="11" '
            f'fill="#4a5565">{date_format(day, "YEAR_MONTH_FORMAT")}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def bar_chart(*, rows, chart_id, title, unit="", width=560, bar_height=22):
    """Horizontal bars, one per (label, value); the page shows the same numbers as a table."""
    rows = list(rows)
    if not rows:
        return ""
    label_w, pad = 220, 8
    height = pad * 2 + len(rows) * (bar_height + 6)
    top = max(value for _, value in rows) or 1
    plot_w = width - label_w - 60
    same_numbers = _("(the table below has the same numbers)")
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" font-family="Inter, sans-serif" '
        f'aria-labelledby="{chart_id}-title" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)} {escape(same_numbers)}</title>',
    ]
    for i, (label, value) in enumerate(rows):
        y = pad + i * (bar_height + 6)
        text = str(label)
        text = text if len(text) <= 34 else text[:33] + "…"
        bar_w = plot_w * value / top
        parts.append(
            f'<text x="{label_w - 8}" y="{y + bar_height * 0.7:.1f}" text-anchor="end" font-size="12" '
            f'fill="#1b2430">{escape(text)}</text>'
            f'<rect x="{label_w}" y="{y}" width="{bar_w:.1f}" height="{bar_height}" fill="#1f4e8c" rx="3"/>'
            f'<text x="{label_w + bar_w + 6:.1f}" y="{y + bar_height * 0.7:.1f}" font-size="12" '
            f'fill="#4a5565">{value}{escape(unit)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def heat_map(*, rows, columns, chart_id, title, top):
    """A grid of average gaps: darker is further from the target, blank is not rated.

    Averages are rounded to tenths, so a few dozen distinct cells cover hundreds of campuses:
    each is drawn once in <defs> and placed with <use>, which keeps a large district's map a
    third of the size it is with every rectangle and number written out."""
    cell_w, cell_h, label_w, head_h = 64, 26, 220, 70
    width = label_w + cell_w * len(columns) + 80  # room for the last slanted heading
    height = head_h + cell_h * len(rows) + 8
    same_numbers = _("(the table below has the same numbers)")
    parts = [
        f'<svg class="chart heat-map" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'font-family="Inter, sans-serif" aria-labelledby="{chart_id}-title" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)} {escape(same_numbers)}</title>',
    ]
    for c, name in enumerate(columns):
        x = label_w + c * cell_w + cell_w / 2
        short = name if len(name) <= 18 else name[:17] + "…"
        parts.append(
            f'<text transform="translate({x:.0f},{head_h - 6}) rotate(-35)" font-size="10" '
            f'fill="#1b2430">{escape(short)}</text>'
        )
    cells, placed = {}, []
    for r, (label, values) in enumerate(rows):
        short = label if len(label) <= 32 else label[:31] + "…"
        placed.append(
            f'<g transform="translate(0,{head_h + r * cell_h})">'
            f'<text x="{label_w - 6}" y="{round(cell_h * 0.65)}">{escape(short)}</text>'
        )
        for c, value in enumerate(values):
            cell = cells.setdefault(value, f"{chart_id}-{len(cells)}")
            placed.append(f'<use href="#{cell}" x="{label_w + c * cell_w}"/>')
        placed.append("</g>")
    parts.append("<defs>")
    for value, cell in cells.items():
        if value is None:
            fill, text_fill, text = "#f3f5f8", "#4a5565", "–"
        else:
            share = max(0.0, min(1.0, value / top)) if top else 0
            light = round(235 - share * 150)
            fill = f"rgb({light + 15},{light},{round(light * 0.75)})" if value > 0 else "#e6f4ea"
            text_fill = "#1b2430" if share < 0.6 else "#ffffff"
            text = f"{value:g}"
        parts.append(
            f'<g id="{cell}"><rect x="1" y="1" width="{cell_w - 2}" height="{cell_h - 2}" '
            f'fill="{fill}"/><text x="{cell_w // 2}" y="{round(cell_h * 0.65)}" '
            f'text-anchor="middle" font-size="11" fill="{text_fill}">{text}</text></g>'
        )
    parts.append("</defs>")
    # Each row is moved into place; the row labels share their anchor, size and colour, the cells
    # carry their own.
    parts.append('<g text-anchor="end" font-size="11" fill="#1b2430">')
    parts.extend(placed)
    parts.append("</g>")
    parts.append("</svg>")
    return mark_safe("".join(parts))
