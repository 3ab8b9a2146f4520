from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from digibank.changes import visits_changed
from digibank.models import (
    AuditEvent,
    Consent,
    District,
    ErasureLog,
    Resident,
    TargetGroup,
    User,
)

admin.site.site_header = _("Digibank management")
admin.site.site_title = _("Digibank")
admin.site.index_title = _("Management")


class HistoryInline(admin.TabularInline):
    """A record's history rows (a HistoryEvent subclass) under it: shown,
    never added or deleted here; the services write them."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ServiceOwnedAdmin(admin.ModelAdmin):
    """The admin of a model whose state changes are services (with their
    history, audit row and messages): never deleted here (no delete button,
    no "delete selected"), the ``service_fields`` read-only, and with
    ``view_only`` nothing added or changed at all. ``staff_page`` names the
    staff screen where it is changed, linked on the page.
    ``tests/digibank/test_admin_doors.py`` walks every registered admin."""

    service_fields: tuple[str, ...] = ()
    view_only: bool = False

    def staff_page(self, obj) -> str | None:
        """The address of the staff screen for ``obj`` (None: there is none)."""
        return None

    def has_add_permission(self, request, obj=None) -> bool:
        return not self.view_only and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return not self.view_only and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj), *self.service_fields]
        return [*dict.fromkeys(fields), "where_to_change"]

    @admin.display(description=_("Where to change it"))
    def where_to_change(self, obj) -> str:
        url = self.staff_page(obj) if obj is not None and obj.pk else None
        if url is None:
            return "—"
        return format_html('<a href="{}">{}</a>', url,
                           _("On the staff page, which tells the people concerned and "
                             "keeps the history"))


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, (_("Digibank"), {"fields": ["partner"]}))
    list_display = ["username", "first_name", "last_name", "email", "partner", "is_active"]
    list_filter = ["groups", "is_active", "partner"]

    # Only a superuser makes a superuser (or hands out single permissions),
    # and only a superuser changes or deletes a superuser's account.
    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "user_permissions"]
        return fields

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    # Deleting a coach unlinks their visits, which turns "solved by a coach"
    # into "solved by the host" in the dashboard's figures of those days.
    def delete_model(self, request, obj) -> None:
        self.delete_queryset(request, User.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset) -> None:
        with transaction.atomic():
            visits_changed(coach__in=queryset)
            queryset.delete()


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "postcode", "population", "parent"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(TargetGroup)
class TargetGroupAdmin(admin.ModelAdmin):
    list_display = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0
    fields = ["purpose", "scope", "partner", "method", "given_on", "expires_on", "withdrawn_on"]


@admin.register(Resident)
class ResidentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "phone", "district", "last_activity", "anonymised_at"]
    list_filter = ["district", "language", "target_groups"]
    search_fields = ["first_name", "last_name", "phone"]
    filter_horizontal = ["target_groups"]
    inlines = [ConsentInline]

    # Residents are created and changed through the staff screens, whose
    # services write the audit trail; here they can only be looked up.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    # Not deleted here: erasure (/inwoners/<pk>/wissen/) is the one door
    # that removes a resident's data, with its audit row and the erasure-log
    # entry a restore replays. The page links to it.
    readonly_fields = ["created_at", "anonymised_at", "erasure"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    # Should deleting come back here: it unlinks their visits, which changes
    # the dashboard's figures (identified visits, district of demand).
    def delete_model(self, request, obj) -> None:
        self.delete_queryset(request, Resident.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset) -> None:
        with transaction.atomic():
            visits_changed(resident__in=queryset)
            queryset.delete()

    @admin.display(description=_("Erase"))
    def erasure(self, obj) -> str:
        if obj is None or obj.pk is None:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("residents:erase", args=[obj.pk]),
                           _("Erase this resident's data (with the erasure log)"))


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = ["resident", "purpose", "method", "given_on", "expires_on", "withdrawn_on"]
    list_filter = ["purpose", "method"]
    raw_id_fields = ["resident"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "resident", "summary"]
    list_filter = ["action"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ErasureLog)
class ErasureLogAdmin(AuditEventAdmin):
    list_display = ["erased_at", "resident_number", "actor", "reason", "replayed"]
    list_filter = ["replayed"]
    date_hierarchy = "erased_at"
