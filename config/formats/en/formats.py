# The named formats the public page and the board summary use; staff pages name their formats.
DATE_FORMAT = "F j, Y"
SHORT_DATE_FORMAT = "M j, Y"
MONTH_DAY_FORMAT = "M j"
YEAR_MONTH_FORMAT = "M Y"
TIME_FORMAT = "g:i a"
DATETIME_FORMAT = "M j, Y g:i a"
