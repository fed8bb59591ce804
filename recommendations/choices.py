from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    UNDER_CONSIDERATION = "under_consideration", _("Under consideration")
    ACCEPTED = "accepted", _("Accepted")
    IN_PROGRESS = "in_progress", _("In progress")
    IMPLEMENTED = "implemented", _("Implemented")
    PARTIALLY_IMPLEMENTED = "partially_implemented", _("Partially implemented")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    SUPERSEDED = "superseded", _("Superseded")


class Priority(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")
    UNSET = "unset", _("Not set")


class Horizon(models.TextChoices):
    SHORT = "short", _("Short term")
    MEDIUM = "medium", _("Medium term")
    LONG = "long", _("Long term")
    TO_BE_EXPLORED = "to_be_explored", _("To be explored")
    UNSPECIFIED = "unspecified", _("Unspecified")


class OrganisationKind(models.TextChoices):
    FLEMISH_GOVERNMENT = "flemish_government", _("Flemish government")
    DEPARTMENT = "department", _("Department")
    AGENCY = "agency", _("Agency")
    SOCIAL_PARTNER = "social_partner", _("Social partner")
    SECTOR = "sector", _("Sector")
    LOCAL_GOVERNMENT = "local_government", _("Local government")
    EDUCATION = "education", _("Education")
    FEDERAL = "federal", _("Federal")
    OTHER = "other", _("Other")
