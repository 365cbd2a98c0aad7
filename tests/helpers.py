from contextlib import contextmanager

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
