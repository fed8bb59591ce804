"""The floor: the same JSON payloads as the API, built by hand with raw SQL (through
``connection.cursor()``) and ``json.dumps`` — no ORM, no serializers, no DRF, no middleware.

Each method answers the bytes the matching API call answers (``measure.py`` checks that the
decoded JSON is equal). Constant data (choice labels in the default language, rate
definitions) is computed once up front, as a hand-written service would hard-code it.
"""

import datetime as dt
import json
import zoneinfo
from urllib.parse import urlencode

from django.conf import settings
from django.utils import translation

from recommendations import lifecycle
from recommendations.choices import Horizon, Priority, Status
from recommendations.overview.computation import RATES

REC = "recommendations_recommendation"
STATUSES = [s.value for s in Status]
OPEN = sorted(s.value for s in lifecycle.OPEN_STATUSES)
CLOSED = {s.value for s in lifecycle.CLOSED}
ASSESSED = {s.value for s in lifecycle.ASSESSED}
ACCEPTED_OR_FURTHER = {s.value for s in lifecycle.ACCEPTED_OR_FURTHER}

ITEM_COLUMNS = """
    r.id, r.code, rep.number, rep.slug, rep.title, r.position, p.code, r.title, r.text,
    r.source_start, r.source_end, r.horizon, o.slug, o.name, o.short_name, u.username,
    d.slug, d.name_nl, d.name_en, r.priority, r.priority_rationale, r.due_date, r.status,
    r.version, r.created_at, r.updated_at
"""
ITEM_JOINS = f"""
    FROM {REC} r
    JOIN reports_report rep ON rep.id = r.report_id
    LEFT JOIN {REC} p ON p.id = r.parent_id
    LEFT JOIN recommendations_organisation o ON o.id = r.owner_id
    LEFT JOIN auth_user u ON u.id = r.follow_up_officer_id
    JOIN recommendations_policydomain d ON d.id = r.primary_domain_id
"""
ORDER = "rep.sequence, r.source_start, r.code"


def _dumps(data) -> bytes:
    # As DRF's JSONRenderer: compact, UTF-8.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def _marks(values) -> str:
    return ", ".join(["%s"] * len(values))


def _ids(values) -> str:
    """Integer keys as literals: thousands of placeholders cost more to bind than to run."""
    return ", ".join(str(int(value)) for value in values)


class Floor:
    def __init__(self, connection, host: str = "http://testserver"):
        self.connection = connection
        self.vendor = connection.vendor
        self.host = host
        self.tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        with translation.override(settings.LANGUAGE_CODE):
            self.status_label = {s.value: str(s.label) for s in Status}
            self.priority_label = {s.value: str(s.label) for s in Priority}
            self.horizon_label = {s.value: str(s.label) for s in Horizon}
            self.statuses = [{"value": s.value, "label": str(s.label)} for s in Status]
            self.rate_definitions = {k: str(v.definition) for k, v in RATES.items()}
            self.none_label = {"owner": str(translation.gettext("(no owner)"))}
            self.none_label["other"] = str(translation.gettext("(none)"))
        self._content_type = None
        # Full-text search (PostgreSQL): the stored document column migration 0003 adds, or
        # the same expression where a database lacks it.
        self.document = (
            "(setweight(to_tsvector('dutch'::regconfig, COALESCE(r.title, '')), 'A') || "
            "setweight(to_tsvector('dutch'::regconfig, COALESCE(r.text, '')), 'B'))"
        )
        if self.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT 1 FROM information_schema.columns WHERE table_name = %s "
                    "AND column_name = 'search_document'",
                    [REC],
                )
                if cursor.fetchone():
                    self.document = "r.search_document"

    # -- values -------------------------------------------------------------------------

    def today(self) -> dt.date:
        return dt.datetime.now(self.tz).date()

    def _moment(self, value):
        """A datetime as DRF answers it: in the current time zone, ISO 8601."""
        if value is None:
            return None
        if isinstance(value, str):
            value = dt.datetime.fromisoformat(value)
        if value.tzinfo is None:  # SQLite: naive UTC
            value = value.replace(tzinfo=dt.UTC)
        text = value.astimezone(self.tz).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    @staticmethod
    def _date(value):
        if value is None or isinstance(value, str):
            return value
        return value.isoformat()

    def _param(self, moment: dt.datetime):
        """A datetime as a query parameter (SQLite stores naive UTC text)."""
        if self.vendor == "sqlite":
            return moment.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")
        return moment

    def _start_of_day(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time.min, tzinfo=self.tz)

    def _labelled(self, labels, value):
        return {"value": value, "label": labels[value]} if value else None

    # -- recommendations ----------------------------------------------------------------

    def _items(self, cursor, rows) -> list[dict]:
        """Rows of ITEM_COLUMNS as the API shows them, with addressees, related domains
        and due date revisions fetched in one query each."""
        if not rows:
            return []
        ids = [row[0] for row in rows]
        marks = _ids(ids)
        addressees = {pk: [] for pk in ids}
        cursor.execute(
            f"""SELECT ra.recommendation_id, o.slug, o.name, o.short_name
            FROM {REC}_addressees ra
            JOIN recommendations_organisation o ON o.id = ra.organisation_id
            WHERE ra.recommendation_id IN ({marks}) ORDER BY o.name"""
        )
        for pk, slug, name, short_name in cursor.fetchall():
            addressees[pk].append({"slug": slug, "name": name, "short_name": short_name})
        related = {pk: [] for pk in ids}
        cursor.execute(
            f"""SELECT rd.recommendation_id, d.slug, d.name_nl, d.name_en
            FROM {REC}_related_domains rd
            JOIN recommendations_policydomain d ON d.id = rd.policydomain_id
            WHERE rd.recommendation_id IN ({marks}) ORDER BY d.slug"""
        )
        for pk, slug, name_nl, name_en in cursor.fetchall():
            related[pk].append({"slug": slug, "name_nl": name_nl, "name_en": name_en})
        first_due = {}
        cursor.execute(
            f"""SELECT recommendation_id, new_date FROM recommendations_duedaterevision
            WHERE recommendation_id IN ({marks}) AND new_date IS NOT NULL
            ORDER BY changed_at, id"""
        )
        for pk, new_date in cursor.fetchall():
            first_due.setdefault(pk, new_date)

        today = self.today()
        host = self.host
        items = []
        for (
            pk,
            code,
            report_number,
            report_slug,
            report_title,
            position,
            parent_code,
            title,
            text,
            source_start,
            source_end,
            horizon,
            owner_slug,
            owner_name,
            owner_short,
            officer,
            domain_slug,
            domain_nl,
            domain_en,
            priority,
            priority_rationale,
            due_date,
            status,
            version,
            created_at,
            updated_at,
        ) in rows:
            if isinstance(due_date, str):
                due_date = dt.date.fromisoformat(due_date)
            closed = status in CLOSED
            items.append(
                {
                    "url": f"{host}/api/v1/recommendations/{code}/",
                    "code": code,
                    "report": {
                        "url": f"{host}/api/v1/reports/{report_slug}/",
                        "number": report_number,
                        "slug": report_slug,
                        "title": report_title,
                    },
                    "position": position,
                    "parent": parent_code,
                    "title": title,
                    "text": text,
                    "source_lines": [source_start, source_end],
                    "horizon": self._labelled(self.horizon_label, horizon),
                    "addressees": addressees[pk],
                    "owner": (
                        {"slug": owner_slug, "name": owner_name, "short_name": owner_short}
                        if owner_slug is not None
                        else None
                    ),
                    "follow_up_officer": officer,
                    "primary_domain": {
                        "slug": domain_slug,
                        "name_nl": domain_nl,
                        "name_en": domain_en,
                    },
                    "related_domains": related[pk],
                    "priority": self._labelled(self.priority_label, priority),
                    "priority_rationale": priority_rationale,
                    "due_date": self._date(due_date),
                    "original_due_date": self._date(first_due.get(pk, due_date)),
                    "status": self._labelled(self.status_label, status),
                    "is_closed": closed,
                    "is_overdue": not closed and due_date is not None and due_date < today,
                    "version": version,
                    "created_at": self._moment(created_at),
                    "updated_at": self._moment(updated_at),
                }
            )
        return items

    def _page(self, path, query, where, params, page, page_size, order=ORDER) -> bytes:
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {REC} r WHERE {where}", params)
            count = cursor.fetchone()[0]
            cursor.execute(
                f"SELECT {ITEM_COLUMNS} {ITEM_JOINS} WHERE {where} ORDER BY {order} "
                f"LIMIT {int(page_size)} OFFSET {int((page - 1) * page_size)}",
                params,
            )
            results = self._items(cursor, cursor.fetchall())
        return self._envelope(path, query, count, page, page_size, results)

    def recommendation_list(self, statuses: list[str], page: int, page_size: int) -> bytes:
        """``/api/v1/recommendations/?page=..&page_size=..&status=..&status=..``"""
        query = [("page", str(page)), ("page_size", str(page_size))]
        query += [("status", s) for s in statuses]
        where = f"r.status IN ({_marks(statuses)})"
        return self._page("/api/v1/recommendations/", query, where, list(statuses), page, page_size)

    def search(self, text: str, page: int = 1, page_size: int = 50) -> bytes:
        """``/api/v1/recommendations/?q=..``: on PostgreSQL Dutch full-text search of title
        and text, code prefix, or a report title that matches, ranked (as
        recommendations/search.py); elsewhere a substring of code, title, text or report
        title, in the default order."""
        query = [("q", text)]
        if self.vendor == "postgresql":
            tsquery = "websearch_to_tsquery('dutch'::regconfig, %s)"
            with self.connection.cursor() as cursor:
                # The matching reports first, their ids then as literals (as search.py).
                cursor.execute(
                    "SELECT id FROM reports_report WHERE "
                    f"to_tsvector('dutch'::regconfig, COALESCE(title, '')) @@ {tsquery}",
                    [text],
                )
                report_ids = [row[0] for row in cursor.fetchall()]
                where, params = f"{self.document} @@ {tsquery}", [text]
                if report_ids:
                    where += f" OR r.report_id IN ({', '.join(str(int(i)) for i in report_ids)})"
                if any(character.isdigit() for character in text):
                    where += " OR UPPER(r.code::text) LIKE UPPER(%s)"
                    params.append(
                        text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
                    )
                where = f"({where})"
                order = f"ts_rank({self.document}, {tsquery}) DESC, {ORDER}"
                cursor.execute(f"SELECT COUNT(*) FROM {REC} r WHERE {where}", params)
                count = cursor.fetchone()[0]
                cursor.execute(
                    f"SELECT {ITEM_COLUMNS} {ITEM_JOINS} WHERE {where} ORDER BY {order} "
                    f"LIMIT {int(page_size)} OFFSET {int((page - 1) * page_size)}",
                    [*params, text],
                )
                results = self._items(cursor, cursor.fetchall())
            return self._envelope(
                "/api/v1/recommendations/", query, count, page, page_size, results
            )
        like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where = (
            "(r.code LIKE %s ESCAPE '\\' OR r.title LIKE %s ESCAPE '\\' "
            "OR r.text LIKE %s ESCAPE '\\' OR r.report_id IN "
            "(SELECT id FROM reports_report WHERE title LIKE %s ESCAPE '\\'))"
        )
        return self._page("/api/v1/recommendations/", query, where, [like] * 4, page, page_size)

    def _envelope(self, path, query, count, page, page_size, results) -> bytes:
        last = max(1, -(-count // page_size))
        base = [(k, v) for k, v in query if k != "page"]

        def link(number):
            pairs = base + ([("page", str(number))] if number != 1 else [])
            return f"{self.host}{path}?{urlencode(sorted(pairs), doseq=True)}"

        return _dumps(
            {
                "count": count,
                "next": link(page + 1) if page < last else None,
                "previous": link(page - 1) if page > 1 else None,
                "results": results,
            }
        )

    def detail(self, code: str) -> bytes:
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT {ITEM_COLUMNS} {ITEM_JOINS} WHERE r.code = %s", [code])
            (item,) = self._items(cursor, cursor.fetchall())
        return _dumps(item)

    def history(self, code: str) -> bytes:
        with self.connection.cursor() as cursor:
            if self._content_type is None:
                cursor.execute(
                    "SELECT id FROM django_content_type WHERE app_label = %s AND model = %s",
                    ["recommendations", "recommendation"],
                )
                self._content_type = cursor.fetchone()[0]
            cursor.execute(f"SELECT id FROM {REC} WHERE code = %s", [code])
            (pk,) = cursor.fetchone()
            events = []
            cursor.execute(
                """SELECT c.changed_at, u.username, c.from_status, c.to_status, c.note,
                c.evidence_url FROM recommendations_statuschange c
                LEFT JOIN auth_user u ON u.id = c.changed_by_id
                WHERE c.recommendation_id = %s ORDER BY c.changed_at, c.id""",
                [pk],
            )
            for changed_at, by, from_status, to_status, note, evidence_url in cursor.fetchall():
                events.append(
                    (
                        changed_at,
                        0,
                        {
                            "kind": "status_change",
                            "changed_at": self._moment(changed_at),
                            "changed_by": by,
                            "from_status": self._labelled(self.status_label, from_status),
                            "to_status": self._labelled(self.status_label, to_status),
                            "note": note,
                            "evidence_url": evidence_url,
                            "previous_date": None,
                            "new_date": None,
                        },
                    )
                )
            cursor.execute(
                """SELECT v.changed_at, u.username, v.previous_date, v.new_date, v.reason
                FROM recommendations_duedaterevision v
                LEFT JOIN auth_user u ON u.id = v.changed_by_id
                WHERE v.recommendation_id = %s ORDER BY v.changed_at, v.id""",
                [pk],
            )
            for changed_at, by, previous_date, new_date, reason in cursor.fetchall():
                events.append(
                    (
                        changed_at,
                        1,
                        {
                            "kind": "due_date_revision",
                            "changed_at": self._moment(changed_at),
                            "changed_by": by,
                            "previous_date": self._date(previous_date),
                            "new_date": self._date(new_date),
                            "reason": reason,
                        },
                    )
                )
            cursor.execute(
                """SELECT l.timestamp, u.username, l.changes FROM auditlog_logentry l
                LEFT JOIN auth_user u ON u.id = l.actor_id
                WHERE l.content_type_id = %s AND l.object_id = %s AND l.action = 1
                ORDER BY l.timestamp DESC""",
                [self._content_type, pk],
            )
            for timestamp, by, changes in cursor.fetchall():
                events.append(
                    (
                        timestamp,
                        2,
                        {
                            "kind": "field_change",
                            "changed_at": self._moment(timestamp),
                            "changed_by": by,
                            "previous_date": None,
                            "new_date": None,
                            "changes": json.loads(changes) if isinstance(changes, str) else changes,
                        },
                    )
                )
        events.sort(key=lambda event: (event[0], event[1]))
        return _dumps([event for _moment, _kind, event in events])

    # -- overview -----------------------------------------------------------------------

    def _counts(self, by_status: dict, overdue: int) -> dict:
        def total(statuses):
            return sum(by_status[s] for s in statuses)

        def rate(numerator, denominator):
            return {
                "value": numerator / denominator if denominator else None,
                "numerator": numerator,
                "denominator": denominator,
            }

        return {
            "by_status": by_status,
            "total": sum(by_status.values()),
            "overdue": overdue,
            "rates": {
                "acceptance": rate(total(ACCEPTED_OR_FURTHER), total(ASSESSED)),
                "implementation": rate(by_status["implemented"], total(CLOSED)),
                "overdue_share": rate(overdue, total(OPEN)),
            },
        }

    def overview(
        self, group_by: str, as_of: dt.date | None = None, since: dt.date | None = None
    ) -> bytes:
        """``/api/v1/overview/?group_by=report|owner[&as_of=..][&since=..]`` (no filters)."""
        column = {"report": "report_id", "owner": "owner_id"}[group_by]
        today = self.today()
        as_of = as_of or today
        open_marks = _marks(OPEN)
        with self.connection.cursor() as cursor:
            if as_of >= today:
                cursor.execute(
                    f"""SELECT {column}, status, COUNT(*), SUM(CASE WHEN due_date < %s AND
                    status IN ({open_marks}) THEN 1 ELSE 0 END) FROM {REC}
                    GROUP BY {column}, status""",
                    [today, *OPEN],
                )
            else:
                # The status and due date just before the cutoff, set-based: the first
                # status change and due date revision after it per item (ROW_NUMBER), joined.
                cutoff = self._param(self._start_of_day(as_of + dt.timedelta(days=1)))
                cursor.execute(
                    f"""SELECT r.{column}, COALESCE(c.from_status, r.status) AS status_then,
                    COUNT(*), SUM(CASE WHEN (CASE WHEN v.recommendation_id IS NOT NULL
                        THEN v.previous_date ELSE r.due_date END) < %s
                        AND COALESCE(c.from_status, r.status) IN ({open_marks})
                        THEN 1 ELSE 0 END)
                    FROM {REC} r
                    LEFT JOIN (SELECT recommendation_id, from_status FROM (
                        SELECT recommendation_id, from_status, ROW_NUMBER() OVER (
                            PARTITION BY recommendation_id ORDER BY changed_at, id) AS n
                        FROM recommendations_statuschange WHERE changed_at >= %s) first
                        WHERE n = 1) c ON c.recommendation_id = r.id
                    LEFT JOIN (SELECT recommendation_id, previous_date FROM (
                        SELECT recommendation_id, previous_date, ROW_NUMBER() OVER (
                            PARTITION BY recommendation_id ORDER BY changed_at, id) AS n
                        FROM recommendations_duedaterevision WHERE changed_at >= %s) first
                        WHERE n = 1) v ON v.recommendation_id = r.id
                    WHERE r.created_at < %s
                    GROUP BY r.{column}, COALESCE(c.from_status, r.status)""",
                    [as_of, *OPEN, cutoff, cutoff, cutoff],
                )
            counted = {}
            for key, status, n, overdue in cursor.fetchall():
                by_status, late = counted.setdefault(key, (dict.fromkeys(STATUSES, 0), [0]))
                by_status[status] += n
                late[0] += int(overdue or 0)
            ids = [key for key in counted if key is not None]
            names = {}
            if ids:
                if group_by == "report":
                    cursor.execute(
                        f"SELECT id, number, title, sequence FROM reports_report "
                        f"WHERE id IN ({_ids(ids)})"
                    )
                    for pk, number, title, sequence in cursor.fetchall():
                        names[pk] = (number, f"{number}. {title}", (0, sequence))
                else:
                    cursor.execute(
                        f"SELECT id, slug, name FROM recommendations_organisation "
                        f"WHERE id IN ({_ids(ids)})"
                    )
                    for pk, slug, name in cursor.fetchall():
                        names[pk] = (slug, name, (0, name.casefold()))
            none = self.none_label["owner" if group_by == "owner" else "other"]
            names[None] = (None, none, (1,))

            totals_by_status, totals_overdue = dict.fromkeys(STATUSES, 0), 0
            groups = []
            for key in sorted(counted, key=lambda key: names[key][2]):
                by_status, late = counted[key]
                for status, n in by_status.items():
                    totals_by_status[status] += n
                totals_overdue += late[0]
                groups.append(
                    {
                        "key": names[key][0],
                        "label": names[key][1],
                        "counts": self._counts(by_status, late[0]),
                    }
                )

            changes, new_items = [], []
            if since is not None:
                start = self._param(self._start_of_day(since))
                end = None
                if as_of < today:
                    end = self._param(self._start_of_day(as_of + dt.timedelta(days=1)))
                window = "AND c.changed_at < %s" if end else ""
                cursor.execute(
                    f"""SELECT r.code, r.title, c.from_status, c.to_status, u.username,
                    c.changed_at, c.note, c.evidence_url FROM recommendations_statuschange c
                    JOIN {REC} r ON r.id = c.recommendation_id
                    LEFT JOIN auth_user u ON u.id = c.changed_by_id
                    WHERE c.changed_at >= %s {window} ORDER BY c.changed_at, c.id""",
                    [start, end] if end else [start],
                )
                changes = [
                    {
                        "code": code,
                        "title": title,
                        "from_status": self._labelled(self.status_label, from_status),
                        "to_status": self._labelled(self.status_label, to_status),
                        "changed_by": by,
                        "changed_at": self._moment(changed_at),
                        "note": note,
                        "evidence_url": evidence_url,
                    }
                    for code, title, from_status, to_status, by, changed_at, note, evidence_url in (
                        cursor.fetchall()
                    )
                ]
                window = "AND created_at < %s" if end else ""
                cursor.execute(
                    f"""SELECT code, title, status, created_at FROM {REC}
                    WHERE created_at >= %s {window} ORDER BY created_at, code""",
                    [start, end] if end else [start],
                )
                new_items = [
                    {
                        "code": code,
                        "title": title,
                        "status": self._labelled(self.status_label, status),
                        "created_at": self._moment(created_at),
                    }
                    for code, title, status, created_at in cursor.fetchall()
                ]
        return _dumps(
            {
                "as_of": as_of.isoformat(),
                "since": since.isoformat() if since else None,
                "group_by": group_by,
                "filters": {},
                "statuses": self.statuses,
                "rate_definitions": self.rate_definitions,
                "totals": self._counts(totals_by_status, totals_overdue),
                "groups": groups,
                "changes": changes,
                "new_items": new_items,
            }
        )
