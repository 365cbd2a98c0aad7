"""`make bench` reports issue 16's targets beside what it measured; these check the verdicts
against figures on either side of each line, so a report cannot call a slow page met."""

from bench.openload import _held_by_kind
from bench.targets import targets


def results(*, plan_ms=40.0, plan_kb=150.0, plan_queries=(12, 12), sustained=48, ratio=1.1):
    return {
        "machine": {"cpus": 2},
        "queries": {
            "baseline": {"small": 3, "large": 3},
            "plan": {"small": plan_queries[0], "large": plan_queries[1]},
        },
        "timings_large": {
            "baseline": {"median_ms": 5.0, "ratio": 1.0, "kb": 0.2},
            "plan": {"median_ms": plan_ms, "ratio": round(plan_ms / 5.0, 1), "kb": plan_kb},
        },
        "open_load": {
            "p95_target_ms": 300,
            "sustained_per_s": sustained,
            "rendering_p95_ratio": ratio,
        },
        "board_summary_large": {"overhead_ratio": 1.1},
    }


def verdict(report, page):
    return next(row["met"] for row in report["pages"] if row["page"] == page)


def test_a_page_within_every_limit_is_met():
    assert verdict(targets(results()), "plan") is True


def test_a_page_over_sixty_ms_is_not_met():
    assert verdict(targets(results(plan_ms=61.0)), "plan") is False


def test_a_page_over_ten_times_the_bare_view_is_not_met_even_under_sixty_ms():
    report = targets(results(plan_ms=51.0))  # 10.2x of a 5 ms bare view
    assert verdict(report, "plan") is False


def test_a_page_over_200_kb_is_not_met():
    assert verdict(targets(results(plan_kb=201.0)), "plan") is False


def test_a_page_whose_queries_grow_with_the_district_is_not_met():
    report = targets(results(plan_queries=(12, 13)))
    assert verdict(report, "plan") is False
    assert next(row for row in report["pages"] if row["page"] == "plan")["queries"] == "12/13"


def test_the_sustained_rate_is_judged_per_core():
    met = {row["target"][:10]: row for row in targets(results(sustained=40))["site"]}
    assert met["open-model"]["met"] is True
    assert "20.0/s per core" in met["open-model"]["figure"]
    missed = {row["target"][:10]: row for row in targets(results(sustained=38))["site"]}
    assert missed["open-model"]["met"] is False


def test_no_rate_held_means_the_rendering_target_is_not_measured_not_met():
    site = targets(results(sustained=None, ratio=None))["site"]
    assert [row["met"] for row in site[:2]] == [False, False]
    assert site[1]["figure"] == "not measured (no rate held)"


def step(rate, **kinds):
    return {
        "offered_per_s": rate,
        "by_kind": {
            kind: {"p95_ms": p95, "errors": errors} for kind, (p95, errors) in kinds.items()
        },
    }


def test_each_request_kind_reports_the_highest_rate_it_held_on_its_own():
    steps = [
        step(8, theories=(120, 0), home=(20, 0), download=(30, 0)),
        step(16, theories=(450, 0), home=(25, 0), download=(35, 1)),
    ]
    assert _held_by_kind(steps) == {"theories": 8, "home": 16, "download": 8}


def test_a_kind_that_never_held_reports_none():
    assert _held_by_kind([step(4, theories=(900, 0))]) == {"theories": None}
