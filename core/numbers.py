def whole_number(value):
    """`value` read as a whole number written in the digits 0-9, else None. `str.isdigit()` is
    not that test: it passes superscripts such as "²", which `int()` then refuses."""
    text = "" if value is None else str(value)
    return int(text) if text.isascii() and text.isdigit() else None


def plain(value):
    """A stored decimal as a state writes it: 61.5 rather than 61.5000, 100 rather than 1E+2."""
    value = value.normalize()
    return value.quantize(1) if value.as_tuple().exponent > 0 else value
