from django.conf import settings
from django.db import connection, models
from django.db.models import F, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from reports.models import Report, SlugNaturalKeyManager
from viona.dates import validate_date_range
from viona.validators import text_check, validate_no_control_characters, validate_single_line

from . import lifecycle
from .choices import Horizon, OrganisationKind, Priority, Status

__all__ = [
    "DueDateRevision",
    "Horizon",
    "NotePublication",
    "Officer",
    "Organisation",
    "OrganisationKind",
    "PolicyDomain",
    "Priority",
    "Recommendation",
    "Status",
    "StatusChange",
]


class PolicyDomain(models.Model):
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200, validators=[validate_single_line])
    name_en = models.CharField(
        _("name (English)"), max_length=200, validators=[validate_single_line]
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent domain"),
    )

    objects = SlugNaturalKeyManager()

    class Meta:
        ordering = ["slug"]
        verbose_name = _("policy domain")
        verbose_name_plural = _("policy domains")
        constraints = [
            text_check(name, multi_line=False, model="policydomain")
            for name in ("name_nl", "name_en")
        ]

    def __str__(self):
        return self.name_nl

    def natural_key(self):
        return (self.slug,)

    @staticmethod
    def name_field() -> str:
        """The name column for the active language: English for English, else Dutch."""
        return "name_en" if (get_language() or "").startswith("en") else "name_nl"

    @property
    def name(self) -> str:
        return getattr(self, self.name_field())

    @classmethod
    def subtree(cls, domains) -> RawSQL:
        """The ids of ``domains`` and of every domain below them, at any depth, as a subquery
        (a recursive one, which SQLite and PostgreSQL both run)."""
        table = connection.ops.quote_name(cls._meta.db_table)
        ids = [domain.pk for domain in domains]
        placeholders = ", ".join(["%s"] * len(ids))
        return RawSQL(
            f"WITH RECURSIVE tree(id) AS ("
            f"SELECT id FROM {table} WHERE id IN ({placeholders}) "
            f"UNION SELECT d.id FROM {table} d JOIN tree ON d.parent_id = tree.id"
            f") SELECT id FROM tree",
            ids,
        )


class Organisation(models.Model):
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200, validators=[validate_single_line])
    short_name = models.CharField(
        _("short name"), max_length=60, blank=True, validators=[validate_single_line]
    )
    kind = models.CharField(
        _("kind"), max_length=30, choices=OrganisationKind.choices, default=OrganisationKind.OTHER
    )

    objects = SlugNaturalKeyManager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            text_check(name, multi_line=False, model="organisation")
            for name in ("name", "short_name")
        ]

    def __str__(self):
        return self.short_name or self.name

    def natural_key(self):
        return (self.slug,)


def overdue_q(today, *, status: str = "status", due_date: str = "due_date") -> Q:
    """Overdue: still open past its due date (the column names may be those of a status and
    due date rebuilt for a past day)."""
    return Q(**{f"{due_date}__lt": today, f"{status}__in": lifecycle.OPEN_STATUSES})


def closed_q(*, status: str = "status") -> Q:
    return Q(**{f"{status}__in": lifecycle.CLOSED})


class RecommendationQuerySet(models.QuerySet):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Prefetched:
    """The attributes ``selectors.recommendation_list()`` fills with related lists, which the
    model, the serializers and the exports read (plain lists: no related manager per item)."""

    ADDRESSEES = "addressee_list"
    RELATED_DOMAINS = "related_domain_list"
    DUE_DATE_REVISIONS = "due_date_revision_list"


class Recommendation(models.Model):
    report = models.ForeignKey(
        Report, on_delete=models.PROTECT, related_name="recommendations", verbose_name=_("report")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent recommendation"),
        help_text=_("The numbered piste this sub-measure belongs to."),
    )
    position = models.CharField(
        _("position"),
        max_length=20,
        help_text=_('Place in the report: "3", "3.2".'),
        validators=[validate_single_line],
    )
    code = models.CharField(
        _("code"),
        max_length=30,
        unique=True,
        help_text=_("Report and place, as in R05.1-3.2."),
        validators=[validate_single_line],
    )
    title = models.CharField(_("title"), max_length=500, validators=[validate_single_line])
    text = models.TextField(
        _("text"),
        help_text=_("The full passage, as in the source."),
        validators=[validate_no_control_characters],
    )
    source_start = models.PositiveIntegerField(_("first source line"))
    source_end = models.PositiveIntegerField(_("last source line"))
    horizon = models.CharField(
        _("time horizon"), max_length=20, choices=Horizon.choices, default=Horizon.UNSPECIFIED
    )
    addressees = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="addressed_recommendations",
        verbose_name=_("addressees"),
        help_text=_("The organisations the text names."),
    )
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_recommendations",
        verbose_name=_("owner"),
        help_text=_("The lead organisation accountable for the follow-up."),
    )
    follow_up_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="followed_recommendations",
        verbose_name=_("follow-up officer"),
    )
    primary_domain = models.ForeignKey(
        PolicyDomain,
        on_delete=models.PROTECT,
        related_name="primary_recommendations",
        verbose_name=_("primary policy domain"),
    )
    related_domains = models.ManyToManyField(
        PolicyDomain,
        blank=True,
        related_name="related_recommendations",
        verbose_name=_("related policy domains"),
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.UNSET
    )
    priority_rationale = models.TextField(
        _("priority rationale"), blank=True, validators=[validate_no_control_characters]
    )
    due_date = models.DateField(
        _("due date"), null=True, blank=True, validators=[validate_date_range]
    )
    status = models.CharField(
        _("status"), max_length=30, choices=Status.choices, default=Status.OPEN, editable=False
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["report__sequence", "source_start", "code"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        permissions = [
            ("coordinate", _("Can assign owners, set priorities and reopen closed items")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "position"], name="recommendation_unique_position_in_report"
            ),
            models.CheckConstraint(
                condition=Q(source_start__gte=1) & Q(source_end__gte=F("source_start")),
                name="recommendation_source_lines_ordered",
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="recommendation_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(priority__in=Priority.values), name="recommendation_priority_valid"
            ),
            models.CheckConstraint(
                condition=Q(horizon__in=Horizon.values), name="recommendation_horizon_valid"
            ),
            *(
                text_check(name, multi_line=False, model="recommendation")
                for name in ("code", "position", "title")
            ),
            *(
                text_check(name, multi_line=True, model="recommendation")
                for name in ("text", "priority_rationale")
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_date"], name="recommendation_status_due"),
            models.Index(fields=["due_date"], name="recommendation_due"),
            models.Index(fields=["updated_at"], name="recommendation_updated"),
            models.Index(fields=["created_at"], name="recommendation_created"),
            models.Index(fields=["priority"], name="recommendation_priority"),
            models.Index(fields=["horizon"], name="recommendation_horizon"),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def natural_key(self):
        return (self.code,)

    natural_key.dependencies = [
        "reports.report",
        "recommendations.policydomain",
        "recommendations.organisation",
    ]

    @property
    def source_lines(self) -> list[int]:
        return [self.source_start, self.source_end]

    @property
    def original_due_date(self):
        """The first due date ever set. Lists read the revisions that
        ``selectors.recommendation_list()`` prefetches (``Prefetched.DUE_DATE_REVISIONS``)."""
        revisions = getattr(self, Prefetched.DUE_DATE_REVISIONS, None)
        if revisions is None:
            revisions = self.due_date_revisions.order_by("changed_at", "id")
        dated = [r for r in revisions if r.new_date is not None]
        return dated[0].new_date if dated else self.due_date

    @property
    def is_closed(self) -> bool:
        return lifecycle.is_closed(self.status)

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return not self.is_closed and self.due_date is not None and self.due_date < today


class Officer(models.Model):
    """A user's membership of an organisation: editors follow up what it owns."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="officer",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="officers",
        verbose_name=_("organisation"),
    )

    class Meta:
        verbose_name = _("officer")
        verbose_name_plural = _("officers")

    def __str__(self):
        return f"{self.user} ({self.organisation})"


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("History is append-only: it cannot be updated.")

    def delete(self):
        raise TypeError("History is append-only: it cannot be deleted.")


class AppendOnlyModel(models.Model):
    """A history record: written once, never changed or deleted."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise TypeError("History is append-only: it cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("History is append-only: it cannot be deleted.")


class PublishableNote:
    """A history record whose note (reason, evidence link) a coordinator may publish."""

    @property
    def is_published(self) -> bool:
        return hasattr(self, "publication")  # the NotePublication, when there is one


class StatusChange(PublishableNote, AppendOnlyModel):
    """One move in a recommendation's lifecycle. Written only by the transition service."""

    recommendation = models.ForeignKey(
        Recommendation,
        on_delete=models.PROTECT,
        related_name="status_changes",
        verbose_name=_("recommendation"),
    )
    from_status = models.CharField(_("from"), max_length=30, choices=Status.choices)
    to_status = models.CharField(_("to"), max_length=30, choices=Status.choices)
    note = models.TextField(_("note"), blank=True, validators=[validate_no_control_characters])
    evidence_url = models.URLField(
        _("evidence link"), max_length=500, blank=True, validators=[validate_single_line]
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["changed_at", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        constraints = [
            text_check("note", multi_line=True, model="statuschange"),
            text_check("evidence_url", multi_line=False, model="statuschange"),
        ]
        indexes = [
            # With the id: the first change after a date (the as-of overview asks that of
            # every item) comes straight from the index, without a sort per item.
            models.Index(
                fields=["recommendation", "changed_at", "id"], name="statuschange_rec_changed"
            ),
        ]

    def __str__(self):
        # As a person reads it (the inline's caption): labels and the day, not raw values.
        return _("%(source)s → %(target)s, %(day)s") % {
            "source": self.get_from_status_display(),
            "target": self.get_to_status_display(),
            "day": date_format(timezone.localtime(self.changed_at), "DATE_FORMAT"),
        }


class DueDateRevision(PublishableNote, AppendOnlyModel):
    """A due date set or changed; changing or clearing one needs a reason."""

    recommendation = models.ForeignKey(
        Recommendation,
        on_delete=models.PROTECT,
        related_name="due_date_revisions",
        verbose_name=_("recommendation"),
    )
    previous_date = models.DateField(_("previous due date"), null=True, blank=True)
    new_date = models.DateField(_("new due date"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True, validators=[validate_no_control_characters])
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        ordering = ["changed_at", "id"]
        verbose_name = _("due date revision")
        verbose_name_plural = _("due date revisions")
        constraints = [text_check("reason", multi_line=True, model="duedaterevision")]
        indexes = [
            # With the id: the first change after a date (the as-of overview asks that of
            # every item) comes straight from the index, without a sort per item.
            models.Index(fields=["recommendation", "changed_at", "id"], name="duedate_rec_changed"),
        ]

    def __str__(self):
        def shown(day):
            return date_format(day, "DATE_FORMAT") if day else _("no due date")

        return _("Due date %(previous)s → %(new)s") % {
            "previous": shown(self.previous_date),
            "new": shown(self.new_date),
        }


class NotePublication(AppendOnlyModel):
    """A note or reason made public by a coordinator. Notes are internal working notes until
    then; publishing adds this record and never edits the history itself."""

    status_change = models.OneToOneField(
        StatusChange,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="publication",
        verbose_name=_("status change"),
    )
    due_date_revision = models.OneToOneField(
        DueDateRevision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="publication",
        verbose_name=_("due date revision"),
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("published by"),
    )
    published_at = models.DateTimeField(_("published at"), default=timezone.now)

    class Meta:
        ordering = ["published_at", "id"]
        verbose_name = _("note publication")
        verbose_name_plural = _("note publications")
        constraints = [
            models.CheckConstraint(
                condition=Q(status_change__isnull=False, due_date_revision__isnull=True)
                | Q(status_change__isnull=True, due_date_revision__isnull=False),
                name="notepublication_publishes_one_record",
            ),
        ]

    def __str__(self):
        return str(self.status_change or self.due_date_revision)

    @property
    def record(self):
        return self.status_change or self.due_date_revision
