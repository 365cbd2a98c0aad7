def whole_number(value):
    """`value` read as a whole number written in the digits 0-9, else None. `str.isdigit()` is
    not that test: it passes superscripts such as "²", which `int()` then refuses."""
    text = "" if value is None else str(value)
    return int(text) if text.isascii() and text.isdigit() else None
