"""Spreadsheets in and out (django-import-export). An import runs as a dry
run first in the admin, reports errors per row, and is all or nothing.
Imported devices arrive as received at the atelier: status and place only
change through the services. The export (``DeviceResource``) shows status
and place; the import (``DeviceImportResource``) does not take them."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources

from devices.models import Device, DeviceEvent, DeviceStatus, SubscriptionPlan

# What the atelier's hardware test and grading establish.
GRADED_FIELDS = ("functional_grade", "cosmetic_grade", "battery_health")


class _AllOrNothingResource(resources.ModelResource):
    def import_data(self, dataset, **kwargs):
        # A row that fails validation undoes the whole import, not only itself.
        kwargs.setdefault("rollback_on_validation_errors", True)
        return super().import_data(dataset, **kwargs)


class DeviceResource(_AllOrNothingResource):
    status = fields.Field(attribute="get_status_display", column_name="status", readonly=True)
    place = fields.Field(attribute="place_label", column_name="place", readonly=True)

    class Meta:
        model = Device
        import_id_fields = ["asset_tag"]
        fields = ["asset_tag", "kind", "brand", "model_name", "serial", "specs",
                  "year_of_manufacture", "software_profile", "functional_grade",
                  "cosmetic_grade", "battery_health", "status", "place"]
        clean_model_instances = True
        use_transactions = True
        skip_unchanged = True

    def after_save_instance(self, instance, row, **kwargs):
        if not instance.events.exists():
            DeviceEvent.objects.create(device=instance, to_status=DeviceStatus.RECEIVED,
                                       note="import")


class DeviceImportResource(_AllOrNothingResource):
    """The device import: what a spreadsheet may say about a device. Status,
    place and the data state are not imported (the admin's import page says
    so): a new device arrives received at the atelier and moves only through
    the services, past the wipe gate. A grade or battery health is refused
    per row for a device without a signed-off hardware test."""

    class Meta:
        model = Device
        import_id_fields = ["asset_tag"]
        fields = ["asset_tag", "kind", "brand", "model_name", "serial", "specs",
                  "year_of_manufacture", "software_profile", *GRADED_FIELDS]
        clean_model_instances = True
        use_transactions = True
        skip_unchanged = True

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        stored = (Device.objects.filter(pk=instance.pk).values(*GRADED_FIELDS).first()
                  if instance.pk else None) or {}
        tested = instance.pk is not None and instance.refurbish_jobs.filter(
            test_at__isnull=False).exists()
        for name in GRADED_FIELDS:
            value = getattr(instance, name)
            if value not in (None, "") and value != stored.get(name) and not tested:
                errors.setdefault(name, []).append(ValidationError(_(
                    "%(tag)s has no hardware test yet: the grades and the battery health "
                    "come from the atelier's test, not from an import.") % {
                    "tag": instance.asset_tag}))
        super().validate_instance(instance, errors, validate_unique)

    def after_save_instance(self, instance, row, **kwargs):
        if not instance.events.exists():
            DeviceEvent.objects.create(device=instance, to_status=DeviceStatus.RECEIVED,
                                       note=_("Imported"))


class SubscriptionPlanResource(_AllOrNothingResource):
    class Meta:
        model = SubscriptionPlan
        import_id_fields = ["slug"]
        fields = ["slug", "name", "monthly_fee", "deposit", "includes", "eligibility_note",
                  "is_active"]
        clean_model_instances = True
        use_transactions = True
        skip_unchanged = True
