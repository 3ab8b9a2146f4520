"""Admin for the atelier's reference lists (software profiles, workers) and
a read-only view of its records. States change only through the services
and the atelier screens, which write the device's history."""

from django.contrib import admin

from atelier.models import (
    Donation,
    RefurbishJob,
    RepairTicket,
    SoftwareProfile,
    WipeRecord,
    Worker,
    WorkLog,
    YearlyCheck,
)


@admin.register(SoftwareProfile)
class SoftwareProfileAdmin(admin.ModelAdmin):
    list_display = ["name", "version", "device_profile", "is_active"]
    list_filter = ["is_active", "device_profile"]


@admin.register(Worker)
class WorkerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "organisation", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]


@admin.register(Donation)
class DonationAdmin(admin.ModelAdmin):
    list_display = ["donor", "received_on", "expected_count", "received_count", "method"]
    search_fields = ["donor"]
    # Set on the donation page (``record_received_count``), with its audit entry.
    readonly_fields = ["received_count", "received_count_reason"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RefurbishJob)
class RefurbishJobAdmin(ReadOnlyAdmin):
    list_display = ["device", "reason", "status", "opened_at", "finished_at"]
    list_filter = ["status", "reason"]
    list_select_related = ["device"]
    search_fields = ["device__asset_tag"]


@admin.register(WipeRecord)
class WipeRecordAdmin(ReadOnlyAdmin):
    list_display = ["certificate_number", "device", "medium_serial", "method", "result",
                    "wiped_at"]
    list_filter = ["method", "result"]
    list_select_related = ["device"]
    search_fields = ["certificate_number", "device__asset_tag", "medium_serial"]


@admin.register(RepairTicket)
class RepairTicketAdmin(ReadOnlyAdmin):
    list_display = ["pk", "device", "status", "outcome", "opened_at", "resolved_at"]
    list_filter = ["status", "outcome", "fault"]
    list_select_related = ["device"]
    search_fields = ["device__asset_tag"]


@admin.register(YearlyCheck)
class YearlyCheckAdmin(ReadOnlyAdmin):
    list_display = ["loan", "due_on", "checked_on", "result"]
    list_filter = ["result"]
    list_select_related = ["loan__device", "loan__resident"]


@admin.register(WorkLog)
class WorkLogAdmin(admin.ModelAdmin):
    list_display = ["worker", "day", "hours", "tasks"]
    list_filter = ["worker"]
    date_hierarchy = "day"
