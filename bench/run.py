"""API benchmark (not a test; CI does not run it).

For each size N and database it prepares a scratch database (migrated, filled by
``generate_synthetic``; reused when it holds N items of the same seed and the migrations are
unchanged), measures the
API through the real Django stack against a hand-written floor (``bench/measure.py``), then
load-tests gunicorn (2 workers) against the largest PostgreSQL database, prints a Markdown
table and writes it to ``bench/RESULTS.md``.

    .venv/bin/python bench/run.py                  # 1k, 10k, 100k on SQLite and PostgreSQL
    .venv/bin/python bench/run.py --quick          # 1k only, 5 s load: a try-out
    .venv/bin/python bench/run.py --sizes 100000 --databases postgres --fresh

Scratch databases: SQLite files ``var/bench/viona_bench_<N>.sqlite3``, PostgreSQL databases
``viona_bench_<N>`` (e.g. ``viona_bench_100k``) on ``--postgres``. They are kept for reruns
and investigation; ``--drop`` removes them at the end, ``--fresh`` rebuilds them first.
"""

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import secrets
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SCRATCH = ROOT / "var" / "bench"
RESULTS = ROOT / "bench" / "RESULTS.md"

# Targets (set for 100k items on PostgreSQL): p95 in ms, and for the list a ratio to the floor.
TARGETS = {
    "list": 50,
    "detail": 20,
    "search": 100,
    "search code": 100,
    "history": None,
    "overview report": 250,
    "overview owner": 250,
    "overview as-of": 1000,
}
LIST_MAX_RATIO = 2.0
# The trend's 24 monthly points against one as-of overview (p50), at 100k on PostgreSQL.
TREND_MAX_RATIO = 2.0


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def label(n: int) -> str:
    return f"{n // 1000}k" if n % 1000 == 0 else str(n)


def migrations_digest() -> str:
    """Changes when a migration is added or edited: a scratch database is then rebuilt."""
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def base_env() -> dict[str, str]:
    """Production settings (DEBUG off: no query log, as served), throttling out of the way."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DJANGO_SECURE_SSL_REDIRECT="false",
        VIONA_THROTTLE_ANON="1000000/minute",
        VIONA_THROTTLE_USER="1000000/minute",
        PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
    )
    return env


class Scratch:
    """One scratch database: its URL, whether it holds N items of the seed, (re)building."""

    def __init__(self, vendor: str, n: int, seed: int, postgres: str):
        self.vendor, self.n, self.seed = vendor, n, seed
        self.name = f"viona_bench_{label(n)}"
        self.marker = SCRATCH / f"{self.name}.{vendor}.json"
        if vendor == "sqlite":
            self.path = SCRATCH / f"{self.name}.sqlite3"
            self.url = f"sqlite:///{self.path}"
        else:
            self.server = postgres.rstrip("/")
            self.url = f"{self.server}/{self.name}"

    def _psql(self, sql: str, database: str = "postgres") -> str:
        return subprocess.run(
            ["psql", f"{self.server}/{database}", "-v", "ON_ERROR_STOP=1", "-tAc", sql],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()

    def _count(self) -> int | None:
        try:
            if self.vendor == "sqlite":
                if not self.path.exists():
                    return None
                with sqlite3.connect(self.path) as db:
                    return db.execute(
                        "SELECT COUNT(*) FROM recommendations_recommendation"
                    ).fetchone()[0]
            exists = self._psql(f"SELECT 1 FROM pg_database WHERE datname = '{self.name}'")
            if not exists:
                return None
            return int(self._psql("SELECT COUNT(*) FROM recommendations_recommendation", self.name))
        except (sqlite3.Error, subprocess.CalledProcessError, ValueError):
            return None

    def reusable(self) -> bool:
        if not self.marker.exists():
            return False
        made = json.loads(self.marker.read_text())
        return made == self._made() and self._count() == self.n

    def _made(self) -> dict:
        return {"n": self.n, "seed": self.seed, "migrations": migrations_digest()}

    def drop(self) -> None:
        self.marker.unlink(missing_ok=True)
        if self.vendor == "sqlite":
            for suffix in ("", "-journal", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        else:
            self._psql(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")

    def prepare(self, env: dict[str, str], fresh: bool) -> float | None:
        """Ready to measure; the seconds generation took when it had to be built."""
        env = {**env, "DATABASE_URL": self.url}
        manage = [PYTHON, str(ROOT / "manage.py")]
        built = None
        if fresh or not self.reusable():
            say(f"[{self.vendor} {label(self.n)}] building {self.name} ...")
            self.drop()
            SCRATCH.mkdir(parents=True, exist_ok=True)
            if self.vendor == "postgresql":
                self._psql(f"CREATE DATABASE {self.name}")
            subprocess.run([*manage, "migrate", "-v0"], check=True, env=env, cwd=ROOT)
            started = time.perf_counter()
            subprocess.run(
                [
                    *manage,
                    "generate_synthetic",
                    "--recommendations",
                    str(self.n),
                    "--seed",
                    str(self.seed),
                ],
                check=True,
                env=env,
                cwd=ROOT,
            )
            built = time.perf_counter() - started
            self.marker.write_text(json.dumps(self._made()))
        else:
            say(f"[{self.vendor} {label(self.n)}] reusing {self.name}")
        if self.vendor == "postgresql":
            # Fresh statistics, as autovacuum would have them on a settled database.
            self._psql("VACUUM ANALYZE", self.name)
        return built


def measure(scratch: Scratch, env: dict[str, str], quick: bool) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
        target = Path(out.name)
    options = ["--reps", "10", "--budget", "3"] if quick else ["--reps", "40", "--budget", "12"]
    subprocess.run(
        [PYTHON, str(ROOT / "bench" / "measure.py"), "--out", str(target), *options],
        check=True,
        env={**env, "DATABASE_URL": scratch.url},
        cwd=ROOT,
    )
    figures = json.loads(target.read_text())
    target.unlink()
    return figures


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def load_test(
    url: str, env: dict[str, str], paths: list[tuple[str, str]], seconds: float, connections: int
) -> list[dict]:
    """gunicorn (2 sync workers) on ``url``; each path loaded for ``seconds`` by loadgen.py."""
    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "viona.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--pythonpath",
            str(ROOT),
            "--log-level",
            "warning",
        ],
        env={**env, "DATABASE_URL": url},
        cwd=ROOT,
    )
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/ping/", timeout=2):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not answer")
        results = []
        for name, path in paths:
            # Warm both workers, then load.
            for _ in range(10):
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30):
                    pass
            say(f"  load: {name} {path} for {seconds:g} s")
            answer = subprocess.run(
                [
                    PYTHON,
                    str(ROOT / "bench" / "loadgen.py"),
                    "--port",
                    str(port),
                    "--path",
                    path,
                    "--seconds",
                    str(seconds),
                    "--connections",
                    str(connections),
                ],
                check=True,
                capture_output=True,
                text=True,
                cwd=ROOT,
            )
            result = json.loads(answer.stdout) | {"name": name}
            say(
                f"    {result['rps']:.1f} req/s, p50 {result['p50']:.1f} ms, "
                f"p95 {result['p95']:.1f} ms, p99 {result['p99']:.1f} ms"
            )
            results.append(result)
        return results
    finally:
        server.terminate()
        server.wait(timeout=30)


def machine(postgres: str) -> dict[str, str]:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = "unknown"
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    try:
        pg = subprocess.run(
            ["psql", f"{postgres.rstrip('/')}/postgres", "-tAc", "SHOW server_version"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        pg = "not reachable"
    versions = subprocess.run(
        [
            PYTHON,
            "-c",
            "import django, rest_framework, gunicorn; "
            "print(django.get_version(), rest_framework.__version__, gunicorn.__version__)",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout.strip()
    return {
        "date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": versions[0],
        "drf": versions[1],
        "gunicorn": versions[2],
        "sqlite": sqlite3.sqlite_version,
        "postgresql": pg,
        "commit": commit + (" (with uncommitted changes)" if dirty else ""),
        "load": ", ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def verdicts(runs: list[dict]) -> dict[tuple, list[str]]:
    """Per (vendor, size, endpoint): what misses its target (empty: ok)."""
    counts: dict[tuple, set[int]] = {}
    for run in runs:
        for row in run["endpoints"]:
            seen = counts.setdefault((run["vendor"], row["endpoint"]), set())
            seen.add(row["queries"])
            seen.update(row["variant_queries"].values())
    missed = {}
    for run in runs:
        for row in run["endpoints"]:
            name, problems = row["endpoint"], []
            limit = TARGETS.get(name)
            if limit is not None and row["p95"] >= limit:
                problems.append(f"p95 ≥ {limit} ms")
            ratio = row["p95"] / row["floor_p95"]
            if name == "list" and ratio > LIST_MAX_RATIO:
                problems.append(f"{ratio:.1f}× floor > {LIST_MAX_RATIO:g}×")
            if (
                len(counts[(run["vendor"], name)]) > 1
                or len(set(row["variant_queries"].values()) | {row["queries"]}) > 1
            ):
                problems.append("query count varies")
            missed[(run["vendor"], run["size"], name)] = problems
    return missed


def target_text(name: str) -> str:
    limit = TARGETS.get(name)
    text = f"p95 < {limit:g} ms" if limit else "—"
    if name == "list":
        text += f", ≤ {LIST_MAX_RATIO:g}× floor"
    return text + "; fixed queries"


def render(info: dict, runs: list[dict], load: list[dict], load_db: str, args) -> str:
    missed = verdicts(runs)
    vendors = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    lines = [
        "# API benchmark",
        "",
        f"Run {info['date']} with `{' '.join(['python bench/run.py', *sys.argv[1:]])}` "
        f"on commit {info['commit']}.",
        "",
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['memory']} RAM; {info['os']}. "
        f"Python {info['python']}, Django {info['django']}, DRF {info['drf']}, gunicorn "
        f"{info['gunicorn']}, SQLite {info['sqlite']}, PostgreSQL {info['postgresql']} "
        "(local, default configuration). Load average when the run started: "
        f"{info['load']} (other work on the machine adds noise to the figures).",
        "",
        "## Method",
        "",
        "- Data: `manage.py generate_synthetic --recommendations N "
        f"--seed {args.seed}` on an empty migrated scratch database per size and database "
        "(PostgreSQL then `VACUUM ANALYZE`d). Production settings: `DJANGO_DEBUG=false`, "
        "throttling raised out of the way; anonymous reads, no `Accept-Language` (Dutch labels). "
        "As served: PostgreSQL connections without JIT (`viona/settings.py`) and start-up "
        "objects frozen for the garbage collector (`gc.freeze()`, as `viona/wsgi.py` does).",
        "- Django: each call through `django.test.Client` in one process (URL routing, every "
        "middleware, DRF view, filters, pagination, serializers, JSON rendering; no network), "
        "timed with `time.perf_counter()` around `client.get()`.",
        "- Floor (`bench/floor.py`): the same JSON payload built by hand — raw SQL through "
        "`connection.cursor()` (same joins; the related lists in one `IN (...)` query each) "
        "and `json.dumps` — timed as a plain function call in the same process. Each "
        "endpoint's Django answer and floor answer are compared once: the decoded JSON is "
        "equal unless noted. The floor writes the SQL a person would: the list page in one "
        "query over the joined rows (the API finds the page's keys first), literal id lists, "
        "and for the as-of overview one set-based query (the first "
        "status change and due date revision after the date per item, by `ROW_NUMBER()`, "
        "joined) instead of correlated subqueries per item; so a ratio measures the "
        "framework and the query shape the ORM produces.",
        "- Per endpoint: warm-up (up to 3 calls), then up to 40 timed calls of each side, "
        "alternating (fewer for slow endpoints: at least 5, stopping after ~12 s). p50 is the "
        "median, p95 the nearest-rank 95th percentile (with few calls: the slowest). "
        "Ratio = Django ÷ floor at the same percentile.",
        "- Queries: counted with `CaptureQueriesContext` on one call; for the list and search "
        "also at `page_size` 10 and 200. *Fixed* means the same count at every N and page size.",
        "- Targets are set for 100k on PostgreSQL; the other rows are checked against the same "
        "thresholds for reference.",
        "",
    ]
    for run in runs:
        lines.append(
            f"- {vendors[run['vendor']]} {label(run['size'])}: list = "
            f"`status=accepted&status=in_progress` ({run['list_matching']} match), page "
            f"{run['list_page']} of {run['list_last_page']} (min(50, last page)), 50 per page; "
            f"detail/history `{run['item']}`; search code `{run['code_prefix']}`; as-of "
            f"{run['as_of']} with changes since {run['since']}."
            + (f" Database built in {run['built']:.0f} s." if run.get("built") else "")
        )
    lines += [
        "",
        "## Results",
        "",
        "| DB | N | endpoint | p50 ms (× floor) | p95 ms (× floor) | queries | floor p50 / p95 ms "
        "| floor queries | KiB | target | holds |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    notes = []
    for run in runs:
        for row in run["endpoints"]:
            name = row["endpoint"]
            problems = missed[(run["vendor"], run["size"], name)]
            queries = str(row["queries"])
            variants = {
                url.split("page_size=")[1].split("&")[0]: n
                for url, n in row["variant_queries"].items()
            }
            if variants:
                queries += " (" + ", ".join(f"size {k}: {v}" for k, v in variants.items()) + ")"
            mark = ""
            if not row["same_payload"]:
                mark = " †"
                notes.append(
                    f"- † {vendors[run['vendor']]} {label(run['size'])} {name}: the floor's "
                    f"JSON differs from the API's at {row['difference']}"
                )
            lines.append(
                f"| {vendors[run['vendor']]} | {label(run['size'])} | {name}{mark} "
                f"| {row['p50']:.1f} ({row['p50'] / row['floor_p50']:.1f}×) "
                f"| {row['p95']:.1f} ({row['p95'] / row['floor_p95']:.1f}×) "
                f"| {queries} | {row['floor_p50']:.1f} / {row['floor_p95']:.1f} "
                f"| {row['floor_queries']} | {row['bytes'] / 1024:.0f} | {target_text(name)} "
                f"| {'MISSED: ' + '; '.join(problems) if problems else 'ok'} |"
            )
    lines += ["", *notes] if notes else []
    trends = [run for run in runs if run.get("trend")]
    if trends:
        lines += [
            "",
            "## Trend against one as-of overview",
            "",
            "`/api/v1/overview/trend/?period=month&end=AS_OF` (24 monthly points) and "
            "`/api/v1/overview/?group_by=none&as_of=AS_OF`, timed alternately; target "
            f"≤ {TREND_MAX_RATIO:g}× (p50) at the largest size on PostgreSQL.",
            "",
            "| DB | N | trend p50 ms | as-of p50 ms | ratio | trend queries |",
            "|---|---|---|---|---|---|",
        ]
        for run in trends:
            t = run["trend"]
            lines.append(
                f"| {vendors[run['vendor']]} | {label(run['size'])} | {t['trend_p50']:.1f} "
                f"| {t['as_of_p50']:.1f} | {t['ratio']:.2f}× | {t['queries']} |"
            )
    if load:
        lines += [
            "",
            f"## Load: gunicorn, 2 sync workers, {load_db}",
            "",
            f"`gunicorn viona.wsgi --workers 2` (settings `bench.settings`: the app's plus "
            f"`/bench/ping/`, a `JsonResponse` through the same middleware), loaded from a second "
            f"process with {load[0]['connections']} concurrent keep-alive connections "
            "(`bench/loadgen.py`, threads with `http.client`; gunicorn's sync workers close each "
            "connection, so the client reconnects) for "
            f"{args.load_seconds:g} s per URL. Client and server share the machine's "
            f"{info['cores']} cores.",
            "",
            "| URL | requests | req/s | p50 ms | p95 ms | p99 ms | errors |",
            "|---|---|---|---|---|---|---|",
        ]
        for result in load:
            lines.append(
                f"| {result['name']}: `{result['path']}` | {result['requests']} "
                f"| {result['rps']:.1f} | {result['p50']:.1f} | {result['p95']:.1f} "
                f"| {result['p99']:.1f} | {result['errors']} |"
            )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--load-seconds", type=float, default=20)
    parser.add_argument("--connections", type=int, default=4, help="load test concurrency")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--quick", action="store_true", help="1k only, 5 s load, fewer calls")
    parser.add_argument("--fresh", action="store_true", help="rebuild the scratch databases")
    parser.add_argument("--drop", action="store_true", help="drop the scratch databases after")
    parser.add_argument("--output", default=str(RESULTS))
    args = parser.parse_args()
    if args.quick:
        args.sizes = "1000"
        args.load_seconds = min(args.load_seconds, 5)
    sizes = [int(size) for size in args.sizes.split(",")]
    vendors = [
        {"sqlite": "sqlite", "postgres": "postgresql", "postgresql": "postgresql"}[name.strip()]
        for name in args.databases.split(",")
    ]

    env = base_env()
    info = machine(args.postgres)
    runs, scratches = [], []
    for vendor in vendors:
        for n in sizes:
            scratch = Scratch(vendor, n, args.seed, args.postgres)
            scratches.append(scratch)
            built = scratch.prepare(env, args.fresh)
            say(f"[{vendor} {label(n)}] measuring")
            runs.append(measure(scratch, env, args.quick) | {"built": built})
            if runs[-1].get("trend"):
                ratio = runs[-1]["trend"]["ratio"]
                verdict = "ok" if ratio <= TREND_MAX_RATIO else f"over {TREND_MAX_RATIO:g}×"
                say(f"[{vendor} {label(n)}] trend / as-of overview: {ratio:.2f}× ({verdict})")

    load, load_db = [], ""
    if args.load_seconds > 0 and scratches:
        # The largest PostgreSQL database, else the largest one measured.
        chosen = max(scratches, key=lambda s: (s.vendor == "postgresql", s.n))
        run = next(r for r in runs if r["vendor"] == chosen.vendor and r["size"] == chosen.n)
        list_url = next(row["url"] for row in run["endpoints"] if row["endpoint"] == "list")
        load_db = f"{chosen.vendor} {label(chosen.n)} (`{chosen.name}`)"
        say(f"[load] gunicorn on {load_db}")
        load = load_test(
            chosen.url,
            env,
            [("list", list_url), ("minimal Django view", "/bench/ping/")],
            args.load_seconds,
            args.connections,
        )
        if chosen.vendor == "postgresql":
            # The same with a new connection per request (settings keep them for 60 s).
            load += [
                result | {"name": result["name"] + ", `?conn_max_age=0`"}
                for result in load_test(
                    chosen.url + "?conn_max_age=0",
                    env,
                    [("list", list_url)],
                    args.load_seconds,
                    args.connections,
                )
            ]

    report = render(info, runs, load, load_db, args)
    print(report)
    Path(args.output).write_text(report)
    say(f"written to {args.output}")
    if args.drop:
        for scratch in scratches:
            scratch.drop()


if __name__ == "__main__":
    main()
