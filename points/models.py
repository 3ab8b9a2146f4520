"""Digibank points. Opening hours, closures, mobile deployments and the
counter's visits arrive with the points issue."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PointKind(models.TextChoices):
    FIXED = "fixed", _("Fixed point")
    MOBILE = "mobile", _("Mobile point")


class PointQuerySet(models.QuerySet):
    def for_staff(self, user):
        """The points a staff member works at (every point for coordinators)."""
        if user.has_role("coordinator"):
            return self
        return self.filter(staff=user)


class Point(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(
        _("kind"), max_length=8, choices=PointKind.choices, default=PointKind.FIXED
    )
    street = models.CharField(_("street and number"), max_length=160, blank=True)
    postcode = models.CharField(_("postcode"), max_length=4, blank=True)
    city = models.CharField(_("municipality"), max_length=80, default="Mechelen")
    district = models.ForeignKey(
        "digibank.District", verbose_name=_("district"), on_delete=models.PROTECT,
        related_name="points",
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    hosting_partner = models.ForeignKey(
        "outreach.Partner", verbose_name=_("hosting partner"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="hosted_points",
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("staff"), blank=True,
        related_name="points",
        help_text=_("Hosts and coaches who work at this point."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = PointQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("point")
        verbose_name_plural = _("points")

    def __str__(self) -> str:
        return self.name

    @property
    def address(self) -> str:
        town = f"{self.postcode} {self.city}".strip()
        return ", ".join(part for part in (self.street, town) if part)
