"""Partner organisations. Referrals, consent flows, roadshows and channels
arrive with the outreach issue."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PartnerKind(models.TextChoices):
    SOCIAL_SERVICES = "social", _("Social services")
    TRAINING = "training", _("Training partner")
    EMPLOYMENT = "employment", _("Employment agency")
    UNION = "union", _("Trade union")
    HOME_CARE = "homecare", _("Home care or home visiting")
    SCHOOL = "school", _("School")
    LIBRARY = "library", _("Library")
    COMMUNITY = "community", _("Community organisation")
    COMPANY = "company", _("Company")
    OTHER = "other", _("Other")


class Partner(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=PartnerKind.choices)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    is_training_partner = models.BooleanField(_("gives trainings"), default=False)
    data_sharing_agreement_on = models.DateField(
        _("data-sharing agreement signed on"), null=True, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")

    def __str__(self) -> str:
        return self.name
