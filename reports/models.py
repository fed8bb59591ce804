from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from viona.validators import text_check, validate_no_control_characters, validate_single_line


class SlugNaturalKeyManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Institute(models.Model):
    name = models.CharField(_("name"), max_length=200, validators=[validate_single_line])
    short_name = models.CharField(_("short name"), max_length=50, validators=[validate_single_line])
    slug = models.SlugField(_("slug"), max_length=50, unique=True)

    objects = SlugNaturalKeyManager()

    class Meta:
        ordering = ["short_name"]
        verbose_name = _("institute")
        verbose_name_plural = _("institutes")
        constraints = [
            text_check(name, multi_line=False, model="institute") for name in ("name", "short_name")
        ]

    def __str__(self):
        return self.short_name

    def natural_key(self):
        return (self.slug,)


def validate_keywords(value):
    """A list of keywords, each one line of plain text (viona/validators.py)."""
    if not isinstance(value, list) or not all(isinstance(word, str) for word in value):
        raise ValidationError(_("Give a list of keywords."))
    for word in value:
        validate_single_line(word)


def validate_line_ranges(value):
    if not isinstance(value, list) or not all(
        isinstance(pair, list)
        and len(pair) == 2
        and all(isinstance(n, int) for n in pair)
        and 1 <= pair[0] <= pair[1]
        for pair in value
    ):
        raise ValidationError(_("Give a list of [first line, last line] pairs."))


def code_prefix(number: str) -> str:
    """The start of a report's recommendation codes: report "5.1" gives "R05.1"."""
    whole, _, part = number.partition(".")
    return f"R{int(whole):02d}" + (f".{part}" if part else "")


class Report(models.Model):
    number = models.CharField(
        _("number"),
        max_length=10,
        unique=True,
        help_text=_('Number in the collection: "1", "5.1".'),
        validators=[validate_single_line],
    )
    bundle_number = models.CharField(
        _("number in the bundle"),
        max_length=10,
        blank=True,
        validators=[
            RegexValidator(
                r"\A\d+(\.\d+)?\Z",
                _("A number in a bundle is digits, with a part after a dot: “5” or “5.1”."),
            )
        ],
        help_text=_(
            "Its number in the bundle of summaries it was imported from; a bundle numbers "
            "its reports its own way."
        ),
    )
    sequence = models.PositiveSmallIntegerField(
        _("sequence"), unique=True, help_text=_("Order of the report in the collection.")
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=400, validators=[validate_single_line])
    institutes = models.ManyToManyField(
        Institute, related_name="reports", verbose_name=_("institutes")
    )
    authors = models.CharField(
        _("authors"), max_length=400, blank=True, validators=[validate_single_line]
    )
    published = models.DateField(
        _("publication month"), help_text=_("The first day of the month of publication.")
    )
    keywords = models.JSONField(
        _("keywords"), default=list, blank=True, validators=[validate_keywords]
    )
    abstract = models.TextField(
        _("abstract"), blank=True, validators=[validate_no_control_characters]
    )
    reference = models.TextField(
        _("full reference"), blank=True, validators=[validate_no_control_characters]
    )
    has_summary = models.BooleanField(
        _("summarised"),
        default=True,
        help_text=_("False for reports listed in the bundle without a summary."),
    )
    source_ranges = models.JSONField(
        _("source line ranges"),
        default=list,
        blank=True,
        validators=[validate_line_ranges],
        help_text=_("Where the summary sits in the source text: [[first, last], ...]."),
    )

    sections = models.JSONField(
        _("section line ranges"),
        default=dict,
        blank=True,
        help_text=_(
            'Where each section of the summary sits: {"abstract": [[first, last]], ..., '
            '"policy": [[first, last], ...]}.'
        ),
    )

    objects = SlugNaturalKeyManager()

    class Meta:
        ordering = ["sequence"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            *(
                text_check(name, multi_line=False, model="report")
                for name in ("number", "bundle_number", "title", "authors")
            ),
            *(
                text_check(name, multi_line=True, model="report")
                for name in ("abstract", "reference")
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def natural_key(self):
        return (self.slug,)

    @property
    def code_prefix(self) -> str:
        return code_prefix(self.number)

    @property
    def publication_month(self) -> str:
        return self.published.strftime("%Y-%m")
