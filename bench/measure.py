"""Measure one database (the one ``DATABASE_URL`` names) and write the figures as JSON.

Run by ``bench/run.py`` in a subprocess per database and size; it sets the environment
(production settings, ``DJANGO_SETTINGS_MODULE=bench.settings``). Each endpoint is called
through ``django.test.Client`` (URL routing, every middleware, DRF, JSON rendering) and its
floor (``bench/floor.py``: raw SQL + ``json.dumps``) as a plain function call, alternately,
after a warm-up; the two answers are compared once (decoded JSON must be equal).
"""

import argparse
import datetime as dt
import gc
import json
import math
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIST_STATUSES = ["accepted", "in_progress"]
PAGE_SIZE = 50


def percentile(samples: list[float], share: float) -> float:
    """Nearest-rank percentile (with 5 samples p95 is the slowest)."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def first_difference(a, b, path="$"):
    """Where two decoded JSON documents first differ (None when equal)."""
    if type(a) is not type(b):
        return f"{path}: {type(a).__name__} {str(a)[:80]!r} vs {type(b).__name__} {str(b)[:80]!r}"
    if isinstance(a, dict):
        if list(a) != list(b):
            return f"{path}: keys {list(a)} vs {list(b)}"
        for key in a:
            found = first_difference(a[key], b[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items vs {len(b)}"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            found = first_difference(x, y, f"{path}[{i}]")
            if found:
                return found
        return None
    return None if a == b else f"{path}: {str(a)[:80]!r} vs {str(b)[:80]!r}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", required=True, help="JSON file to write")
    parser.add_argument("--reps", type=int, default=40, help="timed calls per endpoint and side")
    parser.add_argument("--min-reps", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument(
        "--budget", type=float, default=12.0, help="seconds per endpoint (stop early after)"
    )
    parser.add_argument("--only", action="append", help="measure only these endpoints")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    gc.freeze()  # as viona/wsgi.py does once the application is loaded
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.floor import Floor
    from recommendations.models import Recommendation
    from reports.models import Report

    client = Client()
    floor = Floor(connection)
    log = sys.stderr

    # -- what to ask for ------------------------------------------------------------------
    size = Recommendation.objects.count()
    matching = Recommendation.objects.filter(status__in=LIST_STATUSES).count()
    last_page = max(1, math.ceil(matching / PAGE_SIZE))
    page = min(50, last_page)
    middle = Recommendation.objects.order_by("pk").values_list("pk", flat=True)[size // 2]
    # A typical item with a history: the first from the middle with 3+ status changes and a
    # revised due date.
    item = (
        Recommendation.objects.filter(pk__gte=middle, due_date_revisions__isnull=False)
        .annotate(changes=Count("status_changes", distinct=True))
        .filter(changes__gte=3)
        .order_by("pk")
        .values_list("code", flat=True)
        .first()
    ) or Recommendation.objects.order_by("pk").values_list("code", flat=True)[size // 2]
    reports = Report.objects.order_by("sequence")
    report = reports[reports.count() // 2]
    code_prefix = f"{report.code_prefix}-"
    today = floor.today()
    as_of = today - dt.timedelta(days=365)
    since = as_of - dt.timedelta(days=30)
    status_query = "".join(f"&status={s}" for s in LIST_STATUSES)

    endpoints = [
        (
            "list",
            f"/api/v1/recommendations/?page={page}&page_size={PAGE_SIZE}{status_query}",
            lambda: floor.recommendation_list(LIST_STATUSES, page, PAGE_SIZE),
            [
                f"/api/v1/recommendations/?page=1&page_size=10{status_query}",
                f"/api/v1/recommendations/?page=1&page_size=200{status_query}",
            ],
        ),
        (
            "detail",
            f"/api/v1/recommendations/{item}/",
            lambda: floor.detail(item),
            [],
        ),
        (
            "search",
            "/api/v1/recommendations/?q=werkzoekenden",
            lambda: floor.search("werkzoekenden"),
            [
                "/api/v1/recommendations/?q=werkzoekenden&page_size=10",
                "/api/v1/recommendations/?q=werkzoekenden&page_size=200",
            ],
        ),
        (
            "search code",
            f"/api/v1/recommendations/?q={code_prefix}",
            lambda: floor.search(code_prefix),
            [],
        ),
        (
            "history",
            f"/api/v1/recommendations/{item}/history/",
            lambda: floor.history(item),
            [],
        ),
        (
            "overview report",
            "/api/v1/overview/?group_by=report",
            lambda: floor.overview("report"),
            [],
        ),
        (
            "overview owner",
            "/api/v1/overview/?group_by=owner",
            lambda: floor.overview("owner"),
            [],
        ),
        (
            "overview as-of",
            f"/api/v1/overview/?group_by=owner&as_of={as_of}&since={since}",
            lambda: floor.overview("owner", as_of=as_of, since=since),
            [],
        ),
    ]

    def django_call(url):
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: {response.status_code} {response.content[:300]!r}")
        return response.content

    if args.only:
        endpoints = [endpoint for endpoint in endpoints if endpoint[0] in args.only]
    results = []
    for name, url, floor_call, variants in endpoints:
        print(f"  {name}: {url}", file=log, flush=True)
        with CaptureQueriesContext(connection) as captured:
            django_body = django_call(url)
        queries = len(captured.captured_queries)
        with CaptureQueriesContext(connection) as captured:
            floor_body = floor_call()
        floor_queries = len(captured.captured_queries)
        variant_queries = {}
        for variant in variants:
            with CaptureQueriesContext(connection) as captured:
                django_call(variant)
            variant_queries[variant] = len(captured.captured_queries)
        difference = first_difference(json.loads(django_body), json.loads(floor_body))
        if difference:
            print(f"    payload differs from the floor: {difference}", file=log, flush=True)

        warm_started = time.perf_counter()
        for _ in range(args.warmup):
            django_call(url)
            floor_call()
            if time.perf_counter() - warm_started > args.budget / 4:
                break  # slow endpoint: one warm-up call is enough
        django_times, floor_times = [], []
        started = time.perf_counter()
        while len(django_times) < args.reps and (
            len(django_times) < args.min_reps or time.perf_counter() - started < args.budget
        ):
            t0 = time.perf_counter()
            django_call(url)
            t1 = time.perf_counter()
            floor_call()
            t2 = time.perf_counter()
            django_times.append((t1 - t0) * 1000)
            floor_times.append((t2 - t1) * 1000)
        result = {
            "endpoint": name,
            "url": url,
            "reps": len(django_times),
            "p50": statistics.median(django_times),
            "p95": percentile(django_times, 0.95),
            "queries": queries,
            "variant_queries": variant_queries,
            "floor_p50": statistics.median(floor_times),
            "floor_p95": percentile(floor_times, 0.95),
            "floor_queries": floor_queries,
            "bytes": len(django_body),
            "same_payload": difference is None,
            "difference": difference,
        }
        print(
            f"    p50 {result['p50']:.1f} ms, p95 {result['p95']:.1f} ms, {queries} queries; "
            f"floor p95 {result['floor_p95']:.1f} ms ({result['reps']} reps)",
            file=log,
            flush=True,
        )
        results.append(result)

    trend = None
    if not args.only or "trend" in args.only:
        trend = trend_against_as_of(args, django_call, as_of, log)

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        server_version = cursor.fetchone()[0]
    Path(args.out).write_text(
        json.dumps(
            {
                "vendor": connection.vendor,
                "server_version": server_version,
                "size": size,
                "list_matching": matching,
                "list_page": page,
                "list_last_page": last_page,
                "item": item,
                "code_prefix": code_prefix,
                "as_of": as_of.isoformat(),
                "since": since.isoformat(),
                "endpoints": results,
                "trend": trend,
            },
            indent=2,
        )
    )


def trend_against_as_of(args, django_call, as_of, log) -> dict:
    """The trend's 24 monthly points up to ``as_of`` against one as-of overview of that date
    (totals only: what each point equals), timed alternately in the same process. Being
    set-based, the trend should cost at most 2× (issue 14)."""
    from django.db import connection

    urls = {
        "trend": f"/api/v1/overview/trend/?period=month&end={as_of}",
        "as_of": f"/api/v1/overview/?group_by=none&as_of={as_of}",
    }
    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        django_call(urls["trend"])
    times = {name: [] for name in urls}
    django_call(urls["as_of"])  # warm-up
    started = time.perf_counter()
    while len(times["trend"]) < args.reps and (
        len(times["trend"]) < args.min_reps or time.perf_counter() - started < args.budget
    ):
        for name, url in urls.items():
            t0 = time.perf_counter()
            django_call(url)
            times[name].append((time.perf_counter() - t0) * 1000)
    p50 = {name: statistics.median(samples) for name, samples in times.items()}
    result = {
        "urls": urls,
        "reps": len(times["trend"]),
        "queries": len(executed),
        "trend_p50": p50["trend"],
        "as_of_p50": p50["as_of"],
        "ratio": p50["trend"] / p50["as_of"],
    }
    print(
        f"  trend (24 months) p50 {p50['trend']:.1f} ms, as-of overview p50 "
        f"{p50['as_of']:.1f} ms: {result['ratio']:.2f}×",
        file=log,
        flush=True,
    )
    return result


if __name__ == "__main__":
    main()
