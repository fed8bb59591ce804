"""The project's settings plus a minimal view for the load test (bench/urls.py).

No throttling: the benchmark measures the app, not the rate limiter (which, counting in the
shared database cache, would add its own queries and a growing counter per request)."""

from viona.settings import *  # noqa: F403
from viona.settings import REST_FRAMEWORK

ROOT_URLCONF = "bench.urls"
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
