"""The project's settings plus a minimal view for the load test (bench/urls.py)."""

from viona.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
