"""The result charts (core.charts): colours that pass WCAG AA, a campus strip that stays light
for hundreds of campuses, and the spread its text alternative tells."""

import datetime
from decimal import Decimal

from core.charts import PLOT_FILL, SERIES, campus_spread_chart, group_series_chart
from core.numbers import spread_of


def _luminance(colour):
    def channel(hex_pair):
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a, b):
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_every_series_colour_reads_at_4_5_to_1_on_the_plot_and_pairs_are_told_apart():
    assert all(_contrast(colour, PLOT_FILL) >= 4.5 for colour, _shape, _dash in SERIES)
    # Neighbouring series never share both marker and dash: colour is never the only cue.
    looks = [(shape, dash) for _colour, shape, dash in SERIES]
    assert len(set(looks)) == len(looks)


def test_the_spread_gives_the_median_and_the_quartiles():
    spread = spread_of([Decimal(v) for v in (40, 50, 60, 70, 80, 90)])
    assert (spread.count, spread.lowest, spread.highest) == (6, 40, 90)
    assert (spread.lower_quartile, spread.median, spread.upper_quartile) == (50, 65, 80)
    assert spread_of([]) is None
    assert spread_of([Decimal(7)]).median == 7


def test_a_strip_of_275_campuses_is_one_path_of_a_few_kilobytes():
    values = [(f"Campus {n}", Decimal(30) + Decimal(n) / 5) for n in range(275)]
    svg = campus_spread_chart(
        title="Reading", values=values, unit="%", chart_id="c", district=Decimal(55), target=80
    )
    assert svg.count("<path") == 1
    assert svg.count("h0") == 275
    assert len(svg) < 7000
    assert "275 campuses, from 30 (Campus 0) to 84.8 (Campus 274)" in svg
    assert "25 of 275 campuses meet the target of 80." in svg


def test_a_group_without_a_value_to_show_is_left_out_of_the_chart_and_its_scale():
    dates = [datetime.date(2025, 6, 30), datetime.date(2026, 6, 30)]
    svg = group_series_chart(
        title="Reading",
        dates=dates,
        series=[("All students", [Decimal(50), Decimal(52)]), ("Tiny group", [None, None])],
        unit="%",
        chart_id="g",
    )
    assert "All students: 50 in 2024–25, 52 in 2025–26." in svg
    assert "Tiny group" not in svg
    assert ">40<" not in svg  # the scale spans the values shown, 50 to 52
    assert ">52<" in svg
