# Django's named formats, then this project's own (WEEKDAY_DATE_FORMAT ...): templates and code
# name a format, never spell one, so each language writes a date its own way.
DATE_FORMAT = "F j, Y"
SHORT_DATE_FORMAT = "M j, Y"
MONTH_DAY_FORMAT = "M j"
YEAR_MONTH_FORMAT = "M Y"
TIME_FORMAT = "g:i a"
DATETIME_FORMAT = "M j, Y g:i a"

WEEKDAY_DATE_FORMAT = "l, F j, Y"
SHORT_WEEKDAY_DATE_FORMAT = "D M j"
MONTH_NAME_YEAR_FORMAT = "F Y"
DAY_TIME_FORMAT = "M j, g:i a"
FULL_DATETIME_FORMAT = "M j, Y, g:i a"
WEEKDAY_MONTH_DAY_FORMAT = "l, F j"
