"""`make run` (Django's threaded development server) on PostgreSQL keeps no connections.

Each request runs on a new thread; a connection kept for reuse (CONN_MAX_AGE) by a thread that
ends stays open and idle, and a burst used up the server's connections.
"""

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
BURST = 40

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="connections are kept on PostgreSQL only",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def database(db):
    """The test database's connection parameters (runserver uses it from outside)."""
    from django.db import connection

    return connection.settings_dict


@pytest.fixture
def connections_to(database):
    """How many connections the test database has, asked from the maintenance database."""
    import psycopg

    with psycopg.connect(
        dbname="postgres",
        host=database["HOST"] or None,
        port=database["PORT"] or None,
        user=database["USER"] or None,
        password=database["PASSWORD"] or None,
        autocommit=True,
    ) as admin:

        def count():
            return admin.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [database["NAME"]]
            ).fetchone()[0]

        yield count


@pytest.fixture
def dev_server(database, tmp_path):
    """`manage.py runserver`, as `make run` starts it, on the test database."""
    port = free_port()
    credentials = quote(database["USER"]) + (
        f":{quote(database['PASSWORD'])}" if database["PASSWORD"] else ""
    )
    url = (
        f"postgres://{credentials}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
        f"/{database['NAME']}"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "VIONA_"))}
    env.update(DATABASE_URL=url, VIONA_THROTTLE_ANON="100000/minute")
    log = tmp_path / "runserver.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", "--skip-checks", f"{port}"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"{base}/api/v1/", timeout=5):
                    break
            except OSError:
                if server.poll() is not None:
                    break
                time.sleep(0.1)
        else:
            pytest.fail(f"runserver did not answer: {log.read_text()}")
        if server.poll() is not None:
            pytest.fail(f"runserver stopped: {log.read_text()}")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_a_burst_through_the_dev_server_leaves_no_connections(dev_server, connections_to):
    before = connections_to()
    start = threading.Barrier(BURST)

    def get(_):
        start.wait(timeout=20)
        with urllib.request.urlopen(f"{dev_server}/api/v1/institutes/", timeout=20) as response:
            return response.status

    with ThreadPoolExecutor(BURST) as pool:
        assert list(pool.map(get, range(BURST))) == [200] * BURST

    deadline = time.monotonic() + 5
    while connections_to() > before and time.monotonic() < deadline:
        time.sleep(0.2)
    assert connections_to() <= before
