"""Issue 16's targets for `make bench`, each reported beside the figure measured."""

PAGE_MEDIAN_MS, PAGE_RATIO, PAGE_KB = 60, 10, 200
OPEN_PER_CORE, RENDERING_RATIO, SUMMARY_RATIO = 20, 1.3, 1.3


def targets(results):
    """One row per page (median, ratio to the bare view, size, queries at both sizes) and one
    per whole-site target, each with the figure measured and whether it was met."""
    pages, base = [], results["timings_large"]["baseline"]["median_ms"]
    for name, timing in results["timings_large"].items():
        counts = results["queries"][name]
        pages.append(
            {
                "page": name,
                "median_ms": timing["median_ms"],
                "ratio": timing["ratio"],
                "kb": timing["kb"],
                "queries": f"{counts['small']}/{counts['large']}",
                "met": name == "baseline"
                or (
                    timing["median_ms"] <= PAGE_MEDIAN_MS
                    and timing["median_ms"] <= PAGE_RATIO * base
                    and timing["kb"] <= PAGE_KB
                    and counts["small"] == counts["large"]
                ),
            }
        )
    load, summary = results["open_load"], results["board_summary_large"]
    cpus = results["machine"]["cpus"]
    per_core = round(load["sustained_per_s"] / cpus, 1) if load["sustained_per_s"] else 0
    ratio = load["rendering_p95_ratio"]
    site = [
        {
            "target": f"open-model rate held (p95 <= {load['p95_target_ms']} ms, no errors) "
            f">= {OPEN_PER_CORE}/s per core",
            "figure": f"{load['sustained_per_s']}/s on {cpus} cores = {per_core}/s per core",
            "met": per_core >= OPEN_PER_CORE,
        },
        {
            "target": f"p95 while two board summaries render <= {RENDERING_RATIO}x idle",
            "figure": f"x{ratio}" if ratio is not None else "not measured (no rate held)",
            "met": ratio is not None and ratio <= RENDERING_RATIO,
        },
        {
            "target": f"board summary <= {SUMMARY_RATIO}x WeasyPrint alone",
            "figure": f"x{summary['overhead_ratio']}",
            "met": summary["overhead_ratio"] <= SUMMARY_RATIO,
        },
    ]
    long_report = results.get("long_report")
    if long_report is not None:
        renders = long_report["renders"]
        site.append(
            {
                "target": "a long report renders with bounded memory and the worker recycles",
                "figure": ", ".join(
                    f"{r['pages']} pages, peak {r['peak_rss_mb']} MB, "
                    f"{'replaced' if r['replaced'] else 'kept'}"
                    for r in renders
                )
                or long_report.get("error", "no render"),
                "met": long_report["ok"],
            }
        )
    return {"pages": pages, "site": site}


def print_targets(result):
    print(
        f"\ntargets: each page median <= {PAGE_MEDIAN_MS} ms and <= {PAGE_RATIO}x the bare view, "
        f"<= {PAGE_KB} KB of HTML, the same queries at both sizes"
    )
    print(f"{'page':<20}{'median ms':>10}{'x bare':>8}{'KB':>8}{'queries s/l':>13}  met")
    for row in result["pages"]:
        print(
            f"{row['page']:<20}{row['median_ms']:>10}{row['ratio']:>8}{row['kb']:>8}"
            f"{row['queries']:>13}  {'yes' if row['met'] else 'NO'}"
        )
    for row in result["site"]:
        print(f"{'yes' if row['met'] else 'NO ':<4}{row['target']}: {row['figure']}")
    rows = result["pages"] + result["site"]
    print(f"{sum(row['met'] for row in rows)} of {len(rows)} targets met")
