from dataclasses import dataclass
from decimal import Decimal


def whole_number(value):
    """`value` read as a whole number written in the digits 0-9, else None. `str.isdigit()` is
    not that test: it passes superscripts such as "²", which `int()` then refuses."""
    text = "" if value is None else str(value)
    return int(text) if text.isascii() and text.isdigit() else None


def plain(value):
    """A stored decimal as a state writes it: 61.5 rather than 61.5000, 100 rather than 1E+2."""
    value = value.normalize()
    return value.quantize(1) if value.as_tuple().exponent > 0 else value


@dataclass(frozen=True)
class Spread:
    """How a set of values spreads: how many, the lowest, the quartiles, the median and the
    highest (quartiles by the median of each half, as a school report card draws a box)."""

    count: int
    lowest: Decimal
    lower_quartile: Decimal
    median: Decimal
    upper_quartile: Decimal
    highest: Decimal


def _median(ordered):
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def spread_of(values):
    """The Spread of `values` (numbers), or None when there are none."""
    ordered = sorted(plain(Decimal(v)) for v in values)
    if not ordered:
        return None
    half = len(ordered) // 2
    lower, upper = ordered[:half] or ordered, ordered[-half:] if half else ordered
    return Spread(
        count=len(ordered),
        lowest=ordered[0],
        lower_quartile=plain(_median(lower)),
        median=plain(_median(ordered)),
        upper_quartile=plain(_median(upper)),
        highest=ordered[-1],
    )
