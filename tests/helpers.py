import datetime
import zoneinfo
from contextlib import contextmanager

import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext


@contextmanager
def query_budget(limit):
    """Fails when the block runs more than `limit` queries, listing them."""
    with CaptureQueriesContext(connection) as captured:
        yield captured
    count = len(captured.captured_queries)
    if count > limit:
        listing = "\n".join(f"  {q['sql'][:300]}" for q in captured.captured_queries)
        raise AssertionError(f"{count} queries, budget {limit}:\n{listing}")


def page_queries(client, url):
    """How many queries one GET of `url` runs; the response must be a 200."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured.captured_queries)


def district_moment(value):
    """An aware datetime in the district's zone from '2026-08-31' or '2026-08-31T23:30'."""
    moment = datetime.datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        if len(str(value)) == 10:
            moment = moment.replace(hour=12)
        moment = moment.replace(tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))
    return moment


def travel_to(value, tick=True):
    """Runs the block as if it were `value` in the district's zone (noon for a bare date)."""
    return time_machine.travel(district_moment(value), tick=tick)
