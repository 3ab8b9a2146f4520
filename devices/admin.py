from django.contrib import admin
from django.urls import reverse
from import_export.admin import ImportExportModelAdmin

from devices.models import (
    DefectReport,
    Device,
    DeviceEvent,
    DeviceLabel,
    Loan,
    Reservation,
    Subscription,
    SubscriptionPlan,
)
from devices.resources import (
    DeviceImportResource,
    DeviceResource,
    SubscriptionPlanResource,
)
from digibank.admin import HistoryInline, ServiceOwnedAdmin


class DeviceEventInline(HistoryInline):
    model = DeviceEvent
    fk_name = "device"
    fields = ["at", "actor", "from_status", "to_status", "where", "to_point", "note"]
    readonly_fields = fields


@admin.register(Device)
class DeviceAdmin(ServiceOwnedAdmin, ImportExportModelAdmin):
    # Exported with status and place; imported without them (they change
    # only through the services).
    export_resource_classes = [DeviceResource]
    import_resource_classes = [DeviceImportResource]
    import_template_name = "devices/admin/device_import.html"
    list_display = ["asset_tag", "kind", "brand", "model_name", "status", "point"]
    list_filter = ["kind", "status", "point"]
    search_fields = ["asset_tag", "serial", "brand", "model_name"]
    # Status, place and what is known of the data change only through the
    # services (with their history and the wipe gate).
    service_fields = ("status", "point", "status_changed_at", "data_state")
    inlines = [DeviceEventInline]

    def staff_page(self, obj) -> str:
        return reverse("devices:device-detail", args=[obj.asset_tag])

    def get_readonly_fields(self, request, obj=None):
        # The number of disks is given at intake; lowering it later would
        # let the wipe gate count fewer disks than were wiped.
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "storage_media"] if obj is not None else fields

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if not change:
            # A device added here starts its history like any other: received.
            DeviceEvent.objects.create(device=obj, actor=request.user, to_status=obj.status)


@admin.register(DeviceLabel)
class DeviceLabelAdmin(admin.ModelAdmin):
    list_display = ["name", "status"]


@admin.register(SubscriptionPlan)
class SubscriptionPlanAdmin(ImportExportModelAdmin):
    resource_classes = [SubscriptionPlanResource]
    list_display = ["name", "monthly_fee", "deposit", "is_active"]
    prepopulated_fields = {"slug": ["name"]}


class _ThroughServicesAdmin(ServiceOwnedAdmin):
    """Subscriptions, loans and reservations are created at the counter
    (through the services, with their history and audit), not here."""

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Subscription)
class SubscriptionAdmin(_ThroughServicesAdmin):
    list_display = ["resident", "plan", "status", "starts_on", "next_review_on"]
    list_filter = ["status", "plan"]
    raw_id_fields = ["resident", "guardian"]
    service_fields = ("status",)


class _ReadOnlyAdmin(_ThroughServicesAdmin):
    view_only = True


@admin.register(Loan)
class LoanAdmin(_ReadOnlyAdmin):
    list_display = ["device", "resident", "status", "handed_out_at", "check_due_on"]
    list_filter = ["status", "slot"]
    raw_id_fields = ["device", "subscription", "resident", "replaced_by"]
    readonly_fields = ["status"]


@admin.register(Reservation)
class ReservationAdmin(_ReadOnlyAdmin):
    list_display = ["resident", "kind", "pickup_point", "status", "requested_at"]
    list_filter = ["status", "kind", "pickup_point"]
    raw_id_fields = ["subscription", "resident", "loan"]
    readonly_fields = ["status"]


@admin.register(DefectReport)
class DefectReportAdmin(admin.ModelAdmin):
    list_display = ["device", "reported_at", "reported_at_point"]
    raw_id_fields = ["device", "loan"]
