"""Spreadsheets in and out (django-import-export). An import runs as a dry
run first in the admin, reports errors per row, and is all or nothing.
Imported devices arrive as received at the atelier: status and place only
change through the services."""

from import_export import fields, resources

from devices.models import Device, DeviceEvent, DeviceStatus, SubscriptionPlan


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


class SubscriptionPlanResource(_AllOrNothingResource):
    class Meta:
        model = SubscriptionPlan
        import_id_fields = ["slug"]
        fields = ["slug", "name", "monthly_fee", "deposit", "includes", "eligibility_note",
                  "is_active"]
        clean_model_instances = True
        use_transactions = True
        skip_unchanged = True
