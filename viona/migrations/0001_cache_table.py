"""The table of the database cache (settings.CACHES), where the API throttles count.

A migration rather than a step to remember: every database that is migrated (`make run`,
`make serve`, the fuzzing, the benchmark, the tests) has it. ``createcachetable`` leaves an
existing table alone.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
