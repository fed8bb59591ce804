"""Synthetic catalogues for load tests: realistic reports, recommendations with sub-measures,
domains, owners, due dates and a lawful status history each, written in bulk.

Synthetic reports are numbered from 101 on and their slugs start with ``synthetic-``, so they
are never mistaken for the curated catalogue. Same seed, same data.
"""

import datetime as dt
import random
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from reports.models import Institute, Report

from . import lifecycle
from .choices import Horizon, Priority, Status
from .models import DueDateRevision, Organisation, PolicyDomain, Recommendation, StatusChange

SYNTHETIC_SLUG_PREFIX = "synthetic-"
FIRST_NUMBER = 101
PER_REPORT = 40  # items per report on average: a large report's pistes and sub-measures
BATCH = 2000

_SUBJECTS = [
    "werkzoekenden",
    "langdurig werklozen",
    "jongeren zonder diploma",
    "oudere werknemers",
    "personen met een arbeidsbeperking",
    "nieuwkomers",
    "werkgevers",
    "sectorfondsen",
    "zelfstandigen",
    "schoolverlaters",
    "deeltijds lerenden",
    "uitzendkrachten",
]
_ACTIONS = [
    "de begeleiding versterken van",
    "de opleiding uitbreiden voor",
    "de competenties beter meten van",
    "de loopbaanbegeleiding openstellen voor",
    "de activering bijsturen van",
    "de samenwerking met partners verdiepen rond",
    "de financiering afstemmen op",
    "de monitoring verbeteren van",
    "de drempels wegnemen voor",
    "het werkplekleren stimuleren bij",
]
_CONTEXTS = [
    "in samenwerking met VDAB en de sectoren",
    "binnen het kader van het Vlaams werkgelegenheidsbeleid",
    "via de lokale besturen en de OCMW's",
    "met aandacht voor de regionale arbeidsmarkt",
    "in overleg met de sociale partners",
    "op basis van gegevens uit de Datawarehouse Arbeidsmarkt",
    "met een evaluatie na twee jaar",
    "door een betere doorverwijzing tussen diensten",
]
_TOPICS = [
    "duaal leren",
    "sectorconvenants",
    "dienstencheques",
    "opleidingscheques",
    "maatwerkbedrijven",
    "de Jongerengarantie",
    "levenslang leren",
    "het PWA-stelsel",
    "de platformeconomie",
    "competentieversterking",
]


@dataclass
class Generated:
    reports: int
    recommendations: int
    status_changes: int
    due_date_revisions: int


class SyntheticRefused(Exception):
    pass


def holds_real_data() -> bool:
    return Recommendation.objects.exclude(report__slug__startswith=SYNTHETIC_SLUG_PREFIX).exists()


def _sentence(rng: random.Random) -> str:
    return (
        f"{rng.choice(_ACTIONS).capitalize()} {rng.choice(_SUBJECTS)} rond {rng.choice(_TOPICS)}, "
        f"{rng.choice(_CONTEXTS)}."
    )


def _title(rng: random.Random) -> str:
    return f"{rng.choice(_ACTIONS).capitalize()} {rng.choice(_SUBJECTS)}"


def _moment(rng: random.Random, start: dt.datetime, end: dt.datetime) -> dt.datetime:
    return start + (end - start) * rng.random()


def _ensure_reference_data() -> None:
    if not PolicyDomain.objects.exists() or not Organisation.objects.exists():
        fixtures = settings.BASE_DIR / "fixtures"
        call_command(
            "loaddata",
            *(
                fixtures / f"{name}.json"
                for name in ("institutes", "policy_domains", "organisations")
            ),
            verbosity=0,
        )


def _users(count: int) -> list:
    User = get_user_model()
    names = [f"synthetic-officer-{i}" for i in range(1, count + 1)]
    existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    User.objects.bulk_create(
        [
            User(username=name, password="!", is_active=False)
            for name in names
            if name not in existing
        ]
    )
    return list(User.objects.filter(username__in=names).order_by("username"))


def _history(rng, created: dt.datetime, now: dt.datetime, users) -> list[StatusChange]:
    """0-6 lawful moves after ``created``, at increasing moments before ``now``."""
    moments = sorted(_moment(rng, created, now) for _ in range(rng.randint(0, 6)))
    status, changes = Status.OPEN, []
    for moment in moments:
        targets = lifecycle.allowed_targets(status)
        target = rng.choice(targets)
        transition = lifecycle.get_transition(status, target)
        changes.append(
            StatusChange(
                from_status=status,
                to_status=target,
                note="Toelichting bij de statuswijziging." if transition.needs_note else "",
                changed_by=rng.choice(users),
                changed_at=moment,
            )
        )
        status = target
    return changes


@transaction.atomic
def generate(*, recommendations: int, seed: int, force: bool = False) -> Generated:
    """Add ``recommendations`` synthetic items (with their reports and history)."""
    if recommendations < 1:
        raise SyntheticRefused("--recommendations must be at least 1.")
    if holds_real_data() and not force:
        raise SyntheticRefused(
            "The database holds real recommendations; synthetic data would mix with them. "
            "Use a scratch database, or --force."
        )
    rng = random.Random(seed)
    _ensure_reference_data()
    domains = list(PolicyDomain.objects.order_by("pk"))
    organisations = list(Organisation.objects.order_by("pk"))
    institutes = list(Institute.objects.order_by("pk"))
    users = _users(20)
    now = timezone.now()

    last = Report.objects.filter(slug__startswith=SYNTHETIC_SLUG_PREFIX).order_by("-sequence")
    first_number = (last[0].sequence + 1) if last else FIRST_NUMBER
    report_count = max(1, round(recommendations / PER_REPORT))
    reports = Report.objects.bulk_create(
        [
            Report(
                number=str(number),
                sequence=number,
                slug=f"{SYNTHETIC_SLUG_PREFIX}{number}",
                title=f"Onderzoek naar {rng.choice(_TOPICS)} voor {rng.choice(_SUBJECTS)}",
                authors="Synthetische auteur",
                published=dt.date(rng.randint(2015, 2025), rng.randint(1, 12), 1),
                keywords=rng.sample(_TOPICS, 3),
                abstract=" ".join(_sentence(rng) for _ in range(4)),
            )
            for number in range(first_number, first_number + report_count)
        ]
    )
    if institutes:
        Report.institutes.through.objects.bulk_create(
            [
                Report.institutes.through(report=report, institute=institute)
                for report in reports
                for institute in rng.sample(institutes, rng.choice([1, 1, 2]))
            ]
        )

    # Spread the items over the reports: about a third numbered pistes, the rest sub-measures.
    per_report = [recommendations // report_count] * report_count
    for i in range(recommendations % report_count):
        per_report[i] += 1

    counts = Generated(len(reports), 0, 0, 0)
    pending: list[tuple[Recommendation, Recommendation | None, dict]] = []
    for report, size in zip(reports, per_report, strict=True):
        published = timezone.make_aware(dt.datetime.combine(report.published, dt.time(9)))
        created = _moment(rng, published, published + dt.timedelta(days=60))
        piste, sub, line, parent = 0, 0, 1, None
        for _ in range(size):
            if parent is None or rng.random() < 0.33:
                piste, sub, parent_of_this = piste + 1, 0, None
                position = str(piste)
            else:
                sub += 1
                parent_of_this = parent
                position = f"{piste}.{sub}"
            length = rng.randint(2, 12)
            item = Recommendation(
                report=report,
                position=position,
                code=f"{report.code_prefix}-{position}",
                title=_title(rng),
                text=" ".join(_sentence(rng) for _ in range(rng.randint(1, 5))),
                source_start=line,
                source_end=line + length,
                horizon=rng.choice(Horizon.values),
                owner=rng.choice(organisations) if rng.random() < 0.7 else None,
                primary_domain=rng.choice(domains),
                priority=rng.choice(Priority.values),
                due_date=(
                    (created + dt.timedelta(days=rng.randint(90, 1500))).date()
                    if rng.random() < 0.6
                    else None
                ),
                created_at=created,
                updated_at=created,
            )
            line += length + 1
            extras = {
                "related": rng.sample(domains, rng.choice([0, 0, 1, 2])),
                "addressees": rng.sample(organisations, rng.choice([0, 1, 1, 2, 3])),
                "history": _history(rng, created, now, users),
                "revision": _revision(rng, item, now, users),
            }
            if extras["history"]:
                item.status = extras["history"][-1].to_status
                item.updated_at = extras["history"][-1].changed_at
                item.version = 1 + len(extras["history"])
            pending.append((item, parent_of_this, extras))
            if parent_of_this is None:
                parent = item
        if len(pending) >= BATCH:
            _write(pending, counts)
            pending = []
    if pending:
        _write(pending, counts)
    return counts


def _revision(rng, item, now, users) -> DueDateRevision | None:
    """A fifth of the due dates were postponed once (the item then holds the new date)."""
    if not item.due_date or rng.random() >= 0.2:
        return None
    revised = item.due_date + dt.timedelta(days=rng.randint(30, 365))
    revision = DueDateRevision(
        previous_date=item.due_date,
        new_date=revised,
        reason="Uitstel in overleg met de trekker.",
        changed_by=rng.choice(users),
        changed_at=_moment(rng, item.created_at, now),
    )
    item.due_date = revised
    return revision


def _write(pending, counts: Generated) -> None:
    """Pistes first (their keys are the sub-measures' parents), then sub-measures, then
    relations and history."""
    for top_level in (True, False):
        batch = [(item, parent) for item, parent, _ in pending if (parent is None) is top_level]
        for item, parent in batch:
            item.parent = parent
        Recommendation.objects.bulk_create([item for item, _ in batch], batch_size=BATCH)

    related, addressed, changes, revisions = [], [], [], []
    for item, _parent, extras in pending:
        related += [
            Recommendation.related_domains.through(recommendation=item, policydomain=domain)
            for domain in extras["related"]
            if domain.pk != item.primary_domain_id
        ]
        addressed += [
            Recommendation.addressees.through(recommendation=item, organisation=org)
            for org in extras["addressees"]
        ]
        for change in extras["history"]:
            change.recommendation = item
        changes += extras["history"]
        if extras["revision"]:
            extras["revision"].recommendation = item
            revisions.append(extras["revision"])
    Recommendation.related_domains.through.objects.bulk_create(related, batch_size=BATCH)
    Recommendation.addressees.through.objects.bulk_create(addressed, batch_size=BATCH)
    StatusChange.objects.bulk_create(changes, batch_size=BATCH)
    DueDateRevision.objects.bulk_create(revisions, batch_size=BATCH)
    counts.recommendations += len(pending)
    counts.status_changes += len(changes)
    counts.due_date_revisions += len(revisions)
