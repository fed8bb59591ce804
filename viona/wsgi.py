import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "viona.settings")
application = get_wsgi_application()

# What loading Django created (modules, models, URL patterns) lives as long as the process.
# Frozen, the collector stops re-scanning it in every full collection: at 100,000 items those
# pauses fell from ~57 to ~20 ms, once every ten or so list requests (bench/RESULTS.md).
gc.freeze()
