"""Charts as inline SVG built on the server, so the page and the PDF draw the same chart."""

from decimal import Decimal

from django.utils.formats import date_format, number_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from core.numbers import spread_of


def _number(value):
    """Up to two decimals, without trailing zeros, with the active language's separator."""
    return number_format(Decimal(value).quantize(Decimal("0.01")).normalize())


def _day(day):
    return date_format(day, "SHORT_DATE_FORMAT")


def measure_chart(*, measure, values, chart_id, width=560, height=220, colour=None):
    """Baseline, the straight path to the target, the target line and the recorded values;
    `colour` draws the values in a district's brand colour instead of the app's."""
    colour = colour or SERIES[0][0]
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
    parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"/>')
    for day, value in points:
        parts.append(f'<circle cx="{x(day):.1f}" cy="{y(value):.1f}" r="3.5" fill="{colour}"/>')
    for day, anchor in ((first_day, "start"), (last_day, "end")):
        parts.append(
            f'<text x="{x(day):.1f}" y="{height - 12}" text-anchor="{anchor}" font-size="11" '
            f'fill="#4a5565">{date_format(day, "YEAR_MONTH_FORMAT")}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def bar_chart(*, rows, chart_id, title, unit="", width=560, bar_height=22, colour=None):
    """Horizontal bars, one per (label, value), in `colour` or the app's; the page shows the
    same numbers as a table."""
    colour = colour or SERIES[0][0]
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
            f'<rect x="{label_w}" y="{y}" width="{bar_w:.1f}" height="{bar_height}" fill="{colour}" rx="3"/>'
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


# Series colours for charts of several lines, each at least 4.5:1 against the plot's background
# (#f7f9fc) and told apart by a marker shape and a dash as well, never by colour alone.
SERIES = [
    ("#1f4e8c", "circle", ""),
    ("#a3441c", "square", "6 3"),
    ("#1d6b3a", "triangle", "2 3"),
    ("#8a2f6f", "diamond", "8 3 2 3"),
    ("#5a4a00", "circle", "2 3"),
    ("#0d6178", "square", ""),
    ("#4a5565", "triangle", "6 3"),
    ("#7a3b00", "diamond", ""),
]
PLOT_FILL, PLOT_STROKE, INK, MUTED, TARGET = "#f7f9fc", "#d5dbe3", "#1b2430", "#4a5565", "#1d6b3a"


def series_colours(palette=()):
    """SERIES with its first colours replaced by `palette`'s, keeping each line's marker and
    dash: a district's brand colours pass the 4.5:1 check against white when they are set."""
    return [
        (palette[i], shape, dash) if i < len(palette) else (colour, shape, dash)
        for i, (colour, shape, dash) in enumerate(SERIES)
    ]


def _marker(shape, x, y, colour, size=4.0):
    if shape == "square":
        return (
            f'<rect x="{x - size:.1f}" y="{y - size:.1f}" width="{2 * size:.1f}" '
            f'height="{2 * size:.1f}" fill="{colour}"/>'
        )
    if shape == "triangle":
        return (
            f'<path d="M{x:.1f} {y - size - 1:.1f}L{x + size + 1:.1f} {y + size:.1f}'
            f'H{x - size - 1:.1f}Z" fill="{colour}"/>'
        )
    if shape == "diamond":
        return (
            f'<path d="M{x:.1f} {y - size - 1:.1f}L{x + size + 1:.1f} {y:.1f}L{x:.1f} '
            f'{y + size + 1:.1f}L{x - size - 1:.1f} {y:.1f}Z" fill="{colour}"/>'
        )
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{size:.1f}" fill="{colour}"/>'


def year_label(day):
    """A result's date as its school year when it is the June 30 a school year ends (2025-26 written with an en dash),
    else the date."""
    if (day.month, day.day) == (6, 30):
        return f"{day.year - 1}–{day.year % 100:02d}"
    return _day(day)


def _open_svg(chart_id, width, height, title, desc):
    return [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'font-family="Inter, sans-serif" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]


def _scale(values, margin_share=Decimal("0.1")):
    low, high = min(values), max(values)
    margin = (high - low) * margin_share or Decimal(1)
    return low - margin, high + margin


def _ticks(low, high):
    """Round values to label the axis with, three to five of them between `low` and `high`."""
    rough = (high - low) / 4
    step = Decimal(10) ** rough.adjusted()
    for factor in (1, 2, Decimal("2.5"), 5, 10):
        if step * factor >= rough:
            step *= factor
            break
    first = (low / step).to_integral_value(rounding="ROUND_CEILING") * step
    ticks = []
    while first <= high:
        ticks.append(first)
        first += step
    return ticks


def group_series_chart(
    *, title, dates, series, unit, chart_id, target=None, note="", width=440, palette=()
):
    """One line per student group over the school years, with the target when given; the first
    lines take the colours of `palette` (a district's brand), the others the app's.

    `series` is [(group name, [value or None for each date])]: None is a year without a result
    the reader may see, so a masked result never reaches the chart, its scale or its text."""
    shown = [(name, values) for name, values in series if any(v is not None for v in values)]
    if not shown or not dates:
        return ""
    pad_left, pad_right, pad_top = 52, 16, 14
    plot_h, axis_h, row_h = 170, 26, 20
    columns = 2
    legend_rows = -(-len(shown) // columns)
    height = pad_top + plot_h + axis_h + legend_rows * row_h + 8
    plot_w = width - pad_left - pad_right
    numbers = [Decimal(v) for _, values in shown for v in values if v is not None]
    low, high = _scale(numbers + ([Decimal(target)] if target is not None else []))

    def x(index):
        if len(dates) == 1:
            return pad_left + plot_w / 2
        return pad_left + 24 + (plot_w - 48) * index / (len(dates) - 1)

    def y(value):
        return pad_top + plot_h * float((high - Decimal(value)) / (high - low))

    lines = []
    for name, values in shown:
        told = [
            _("%(value)s in %(year)s") % {"value": _number(v), "year": year_label(day)}
            for day, v in zip(dates, values, strict=True)
            if v is not None
        ]
        lines.append(f"{name}: {', '.join(told)}")
    desc = "; ".join(lines) + "."
    if unit:
        desc = _("Values in %(unit)s.") % {"unit": unit} + " " + desc
    if target is not None:
        desc += " " + _("Target %(value)s.") % {"value": _number(target)}
    if note:
        desc += " " + note
    parts = _open_svg(chart_id, width, height, title, desc)
    parts.append(
        f'<rect x="{pad_left}" y="{pad_top}" width="{plot_w}" height="{plot_h}" '
        f'fill="{PLOT_FILL}" stroke="{PLOT_STROKE}"/>'
    )
    for value in _ticks(low, high):
        parts.append(
            f'<text x="{pad_left - 6}" y="{y(value) + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="{MUTED}">{escape(_number(value))}</text>'
        )
    if target is not None:
        parts.append(
            f'<line x1="{pad_left}" x2="{pad_left + plot_w}" y1="{y(target):.1f}" '
            f'y2="{y(target):.1f}" stroke="{TARGET}" stroke-dasharray="6 4" stroke-width="1.5"/>'
            f'<text x="{pad_left + plot_w - 4}" y="{y(target) - 5:.1f}" text-anchor="end" '
            f'font-size="11" fill="{TARGET}">{escape(_("Target"))} {escape(_number(target))}</text>'
        )
    for index, day in enumerate(dates):
        parts.append(
            f'<text x="{x(index):.1f}" y="{pad_top + plot_h + 17}" text-anchor="middle" '
            f'font-size="11" fill="{MUTED}">{escape(year_label(day))}</text>'
        )
    colours = series_colours(palette)
    for number, (name, values) in enumerate(shown):
        colour, shape, dash = colours[number % len(colours)]
        points = [(x(i), y(v)) for i, v in enumerate(values) if v is not None]
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dashed}/>'
            )
        parts.extend(_marker(shape, px, py, colour) for px, py in points)
        row, column = divmod(number, columns)
        lx = pad_left + column * (plot_w / columns)
        ly = pad_top + plot_h + axis_h + row * row_h + 10
        label = name if len(name) <= 34 else name[:33] + "…"
        parts.append(
            f'<line x1="{lx:.1f}" x2="{lx + 22:.1f}" y1="{ly:.1f}" y2="{ly:.1f}" stroke="{colour}" '
            f'stroke-width="2"{dashed}/>'
            + _marker(shape, lx + 11, ly, colour, 3.5)
            + f'<text x="{lx + 28:.1f}" y="{ly + 4:.1f}" font-size="11" fill="{INK}">'
            f"{escape(label)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def campus_spread_chart(
    *,
    title,
    values,
    unit,
    chart_id,
    district=None,
    target=None,
    up=True,
    note="",
    width=440,
    palette=(),
):
    """Every campus's value as one dot, lowest to highest, with the district's value and the
    target drawn across: a district of hundreds of campuses reads as one curve, and the whole
    chart is a single path however many campuses there are.

    `values` are the (campus name, value) pairs the reader may see; the text alternative gives
    the spread, how many campuses meet the target and which campuses are lowest and highest."""
    ranked = sorted(((Decimal(v), name) for name, v in values), key=lambda pair: pair[0])
    spread = spread_of(v for v, _ in ranked)
    if spread is None:
        return ""
    pad_left, pad_right, pad_top, pad_bottom = 52, 16, 14, 30
    height = 200
    plot_w, plot_h = width - pad_left - pad_right, height - pad_top - pad_bottom
    marks = [Decimal(m) for m in (district, target) if m is not None]
    low, high = _scale([v for v, _ in ranked] + marks)
    step = plot_w / len(ranked)

    def y(value):
        return pad_top + plot_h * float((high - Decimal(value)) / (high - low))

    desc = _(
        "%(count)s campuses, from %(lowest)s (%(lowest_name)s) to %(highest)s "
        "(%(highest_name)s); half are between %(lower)s and %(upper)s, the median is "
        "%(median)s."
    ) % {
        "count": spread.count,
        "lowest": _number(spread.lowest),
        "lowest_name": ranked[0][1],
        "highest": _number(spread.highest),
        "highest_name": ranked[-1][1],
        "lower": _number(spread.lower_quartile),
        "upper": _number(spread.upper_quartile),
        "median": _number(spread.median),
    }
    if unit:
        desc = _("Values in %(unit)s.") % {"unit": unit} + " " + desc
    if district is not None:
        desc += " " + _("District: %(value)s.") % {"value": _number(district)}
    if target is not None:
        meeting = sum(1 for v, _ in ranked if (v >= target if up else v <= target))
        desc += " " + _("%(count)s of %(total)s campuses meet the target of %(value)s.") % {
            "count": meeting,
            "total": spread.count,
            "value": _number(target),
        }
    if note:
        desc += " " + note
    parts = _open_svg(chart_id, width, height, title, desc)
    parts.append(
        f'<rect x="{pad_left}" y="{pad_top}" width="{plot_w}" height="{plot_h}" '
        f'fill="{PLOT_FILL}" stroke="{PLOT_STROKE}"/>'
    )
    for value in _ticks(low, high):
        parts.append(
            f'<text x="{pad_left - 6}" y="{y(value) + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="{MUTED}">{escape(_number(value))}</text>'
        )
    # Zero-length strokes with round caps draw as dots, in the browser and in the PDF alike.
    dot = max(2.5, min(8.0, step * 0.8))
    path = "".join(
        f"M{pad_left + step * (i + 0.5):.1f} {y(v):.1f}h0" for i, (v, _) in enumerate(ranked)
    )
    parts.append(
        f'<path d="{path}" stroke="{series_colours(palette)[0][0]}" stroke-width="{dot:.1f}" '
        f'stroke-linecap="round" fill="none"/>'
    )
    for value, label, colour, dash in (
        (target, _("Target"), TARGET, "6 4"),
        (district, _("District"), INK, ""),
    ):
        if value is None:
            continue
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{pad_left}" x2="{pad_left + plot_w}" y1="{y(value):.1f}" '
            f'y2="{y(value):.1f}" stroke="{colour}" stroke-width="1.5"{dashed}/>'
            f'<text x="{pad_left + 4}" y="{y(value) - 5:.1f}" font-size="11" fill="{colour}">'
            f"{escape(label)} {escape(_number(value))}</text>"
        )
    parts.append(
        f'<text x="{pad_left}" y="{height - 10}" font-size="11" fill="{MUTED}">'
        f"{escape(_('Lowest'))}</text>"
        f'<text x="{pad_left + plot_w}" y="{height - 10}" text-anchor="end" font-size="11" '
        f'fill="{MUTED}">{escape(_("Highest"))}</text>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def paired_bar_chart(*, title, rows, names, unit, chart_id, note="", width=440):
    """Two bars for each row (a campus's result beside the district's, by student group), each
    with its number written at its end; a row's missing value reads as a dash.

    `rows` is [(label, first value or None, second value or None)]; `names` the two series'
    names, shown in the legend."""
    rows = list(rows)
    numbers = [Decimal(v) for _, *pair in rows for v in pair if v is not None]
    if not numbers:
        return ""
    label_w, pad, bar_h, legend_h = 150, 8, 14, 40
    row_h = bar_h * 2 + 10
    height = legend_h + pad + len(rows) * row_h
    plot_w = width - label_w - 56
    top = max(max(numbers), Decimal(0)) or Decimal(1)
    colours = [SERIES[0][0], "#5f6b7a"]
    told = []
    for label, *pair in rows:
        said = [
            f"{name} {_number(v) if v is not None else '–'}"
            for name, v in zip(names, pair, strict=True)
        ]
        told.append(f"{label}: {', '.join(said)}")
    desc = "; ".join(told) + "."
    if unit:
        desc = _("Values in %(unit)s.") % {"unit": unit} + " " + desc
    if note:
        desc += " " + note
    parts = _open_svg(chart_id, width, height, title, desc)
    # One legend line a series: a campus's name can be long.
    for number, (name, colour) in enumerate(zip(names, colours, strict=True)):
        ly = 6 + number * 18
        short = name if len(name) <= 44 else name[:43] + "…"
        parts.append(
            f'<rect x="{label_w}" y="{ly}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{label_w + 18}" y="{ly + 10}" font-size="11" fill="{INK}">'
            f"{escape(short)}</text>"
        )
    for index, (label, *pair) in enumerate(rows):
        top_y = legend_h + pad + index * row_h
        short = label if len(label) <= 24 else label[:23] + "…"
        parts.append(
            f'<text x="{label_w - 8}" y="{top_y + bar_h + 4}" text-anchor="end" font-size="11" '
            f'fill="{INK}">{escape(short)}</text>'
        )
        for number, value in enumerate(pair):
            colour = colours[number]
            bar_y = top_y + number * (bar_h + 2)
            if value is None:
                parts.append(
                    f'<text x="{label_w + 4}" y="{bar_y + bar_h - 3}" font-size="11" '
                    f'fill="{MUTED}">–</text>'
                )
                continue
            bar_w = plot_w * float(max(Decimal(value), Decimal(0)) / top)
            parts.append(
                f'<rect x="{label_w}" y="{bar_y}" width="{bar_w:.1f}" height="{bar_h}" '
                f'fill="{colour}"/><text x="{label_w + bar_w + 4:.1f}" y="{bar_y + bar_h - 3}" '
                f'font-size="11" fill="{INK}">{escape(_number(value))}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def trend_words(*, points, target, direction, unit, baseline=None):
    """A trend told in words: the latest value and its date, the change since the value
    before it (or the baseline, a (date, value) pair), the target and which way is better. The
    sparkline's text alternative, and what the image-free table shows in its place."""
    better = _("higher is better") if direction == "up" else _("lower is better")
    target_text = _("target %(value)s %(unit)s") % {"value": _number(target), "unit": unit}
    if not points:
        return f"{_('No value yet')}; {target_text}; {better}."
    day, value = points[-1]
    latest = _("latest %(value)s %(unit)s on %(day)s") % {
        "value": _number(value),
        "unit": unit,
        "day": _day(day),
    }
    earlier = ([baseline] if baseline else []) + list(points[:-1])
    if earlier:
        before = Decimal(earlier[-1][1])
        if Decimal(value) > before:
            change = _("up from %(value)s") % {"value": _number(before)}
        elif Decimal(value) < before:
            change = _("down from %(value)s") % {"value": _number(before)}
        else:
            change = _("unchanged from %(value)s") % {"value": _number(before)}
        latest = f"{latest}, {change}"
    return capfirst(f"{latest}; {target_text}; {better}.")


def sparkline(
    *,
    points,
    target,
    direction,
    unit,
    title,
    chart_id,
    baseline=None,
    width=120,
    height=32,
    colour="#1f4e8c",
):
    """A small trend line: from the baseline (a (date, value) pair, when given) through the
    values over time, the target as a dashed line and the latest value as a dot. `points` is
    [(date, value)] oldest first; `direction` "up" or "down", the way that is better. The words
    of trend_words are its text alternative."""
    desc = trend_words(
        points=points, target=target, direction=direction, unit=unit, baseline=baseline
    )
    pad = 4
    parts = [
        f'<svg class="sparkline" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]
    line = ([baseline] if baseline else []) + list(points)
    low, high = _scale([Decimal(value) for _day_, value in line] + [Decimal(target)])
    days = [day for day, _value in line]

    def x(day):
        span = (days[-1] - days[0]).days if days else 0
        if not span:
            return width - pad
        return pad + (width - 2 * pad) * (day - days[0]).days / span

    def y(value):
        return pad + (height - 2 * pad) * float((high - Decimal(value)) / (high - low))

    parts.append(
        f'<line x1="{pad}" x2="{width - pad}" y1="{y(target):.1f}" y2="{y(target):.1f}" '
        f'stroke="{TARGET}" stroke-dasharray="4 3" stroke-width="1"/>'
    )
    if len(line) > 1:
        path = " ".join(f"{x(day):.1f},{y(value):.1f}" for day, value in line)
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="1.5"/>'
        )
    if points:
        day, value = points[-1]
        parts.append(f'<circle cx="{x(day):.1f}" cy="{y(value):.1f}" r="2.5" fill="{colour}"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))
