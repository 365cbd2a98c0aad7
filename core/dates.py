"""Plausible dates: the windows a typed date must fall in before it is saved."""

from django.utils import timezone


def shift_years(day, years):
    """The same day `years` later (or earlier); 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def within_years_of_today(day, years):
    today = timezone.localdate()
    return shift_years(today, -years) <= day <= shift_years(today, years)
