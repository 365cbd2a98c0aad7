# Django's named formats, then this project's own (WEEKDAY_DATE_FORMAT ...): templates and code
# name a format, never spell one, so each language writes a date its own way.
DATE_FORMAT = r"j \d\e F \d\e Y"
SHORT_DATE_FORMAT = "j M Y"
MONTH_DAY_FORMAT = "j M"
YEAR_MONTH_FORMAT = "M Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j M Y, H:i"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."

WEEKDAY_DATE_FORMAT = r"l, j \d\e F \d\e Y"
SHORT_WEEKDAY_DATE_FORMAT = "D j M"
MONTH_NAME_YEAR_FORMAT = r"F \d\e Y"
DAY_TIME_FORMAT = "j M, H:i"
FULL_DATETIME_FORMAT = "j M Y, H:i"
WEEKDAY_MONTH_DAY_FORMAT = r"l, j \d\e F"
