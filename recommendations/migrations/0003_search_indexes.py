"""Full-text search of recommendations (recommendations/search.py), on PostgreSQL only;
SQLite searches by plain substring matching and needs none of this.

- ``search_document``: a stored generated column with the weighted Dutch document (title A,
  text B), kept current by PostgreSQL itself; the model does not declare it.
- a GIN index on it;
- an index for ``code__istartswith`` ("R01-"), which Django compiles to
  ``UPPER(code::text) LIKE UPPER('R01-%')``: the expression must stay exactly that.
"""

from django.db import migrations

FORWARD = [
    """
    ALTER TABLE recommendations_recommendation ADD COLUMN search_document tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('dutch'::regconfig, COALESCE(title, '')), 'A')
        || setweight(to_tsvector('dutch'::regconfig, COALESCE(text, '')), 'B')
    ) STORED
    """,
    """
    CREATE INDEX recommendation_search_dutch ON recommendations_recommendation
    USING gin (search_document)
    """,
    """
    CREATE INDEX recommendation_code_upper_prefix ON recommendations_recommendation
    ((UPPER(code::text)) text_pattern_ops)
    """,
]
BACKWARD = [
    "DROP INDEX IF EXISTS recommendation_code_upper_prefix",
    "DROP INDEX IF EXISTS recommendation_search_dutch",
    "ALTER TABLE recommendations_recommendation DROP COLUMN IF EXISTS search_document",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("recommendations", "0002_roles_due_dates"),
    ]

    operations = [
        migrations.RunPython(_run(FORWARD), _run(BACKWARD)),
    ]
