"""Full-text search of recommendations: Dutch stemming and ranking on PostgreSQL, plain
substring matching elsewhere (SQLite in development and tests)."""

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.db import connections
from django.db.models import Expression, F, Q, QuerySet
from django.db.models.expressions import Col

from reports.models import Report

from .models import Recommendation

CONFIG = "dutch"

# Names of what migration 0003 adds on PostgreSQL only.
SEARCH_DOCUMENT_COLUMN = "search_document"
SEARCH_INDEX = "recommendation_search_dutch"
CODE_PREFIX_INDEX = "recommendation_code_upper_prefix"

# Stands for the column in SQL only; not added to the model's fields.
_search_document_field = SearchVectorField()
_search_document_field.set_attributes_from_name(SEARCH_DOCUMENT_COLUMN)
_search_document_field.model = Recommendation


class SearchDocument(Expression):
    """The weighted document of a recommendation: its title (weight A) and text (B), Dutch.

    A stored generated column that migration 0003 adds on PostgreSQL only, with a GIN index:

        setweight(to_tsvector('dutch', COALESCE(title, '')), 'A')
        || setweight(to_tsvector('dutch', COALESCE(text, '')), 'B')

    Stored rather than an expression index because ranking needs the document of every
    matching row: recomputing ``to_tsvector`` costs ~45 µs a row, too slow for a common word
    among 100,000 items; reading the stored one is cheap. The model does not declare the
    column, so that SQLite does without it and no other query loads it."""

    output_field = SearchVectorField()

    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):
        # The column of the query's own recommendation table, under whatever alias it has
        # (a Col follows relabelling when the query becomes a subquery).
        pk = F("pk").resolve_expression(query, allow_joins, reuse, summarize, for_save)
        return Col(pk.alias, _search_document_field)


def search_recommendations(
    queryset: QuerySet[Recommendation], text: str
) -> QuerySet[Recommendation]:
    """The recommendations that ``text`` finds.

    PostgreSQL: ``text`` is a web search (words, ``"a phrase"``, ``-excluded``, ``or``)
    stemmed with the Dutch configuration, so "werkzoekende" finds "werkzoekenden", matched
    against title and text. Also found: every item of a report whose title matches, and, when
    ``text`` has a digit, the items whose code starts with it ("R05.1-3.2", "r01-"). The
    result is annotated with ``search_rank`` (a title match weighs more than a text match; 0
    for a match by code or report only) and ordered by it, best first, then in document
    order; an ordering applied later (the list's ``ordering`` parameter) replaces that.

    Other databases: case-insensitive substring of code, title, text or report title, in the
    queryset's own order.

    On PostgreSQL this runs one query right away, for the matching reports: few rows, and
    with their ids as literals the planner can combine the three conditions from indexes
    (with a subquery it estimates half the table and scans all of it)."""
    if connections[queryset.db].vendor != "postgresql":
        return queryset.filter(
            Q(code__icontains=text)
            | Q(title__icontains=text)
            | Q(text__icontains=text)
            | Q(report__title__icontains=text)
        )
    query = SearchQuery(text, config=CONFIG, search_type="websearch")
    report_ids = list(
        Report.objects.using(queryset.db)
        .alias(document=SearchVector("title", config=CONFIG))
        .filter(document=query)
        .values_list("pk", flat=True)
    )
    found = Q(search_document=query)
    if report_ids:
        found |= Q(report__in=report_ids)
    if any(character.isdigit() for character in text):
        # Codes ("R05.1-3.2") have digits from their second character on. Only then is the
        # prefix condition added: PostgreSQL checks an OR with it again row by row, which
        # a word search need not pay for.
        found |= Q(code__istartswith=text)
    return (
        queryset.alias(search_document=SearchDocument())
        .filter(found)
        .annotate(search_rank=SearchRank(F("search_document"), query))
        .order_by("-search_rank", *Recommendation._meta.ordering)
    )
