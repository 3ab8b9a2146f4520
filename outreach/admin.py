from django.contrib import admin
from django.db import models

from outreach.models import Partner, PartnerContact, Poster, Referral, ReferralEvent, Roadshow


class PartnerContactInline(admin.TabularInline):
    model = PartnerContact
    extra = 1


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "is_training_partner", "data_sharing_agreement_on",
                    "is_active"]
    list_filter = ["kind", "is_training_partner", "is_active"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PartnerContactInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class ReferralEventInline(admin.TabularInline):
    model = ReferralEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "actor", "from_status", "to_status", "note"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    """Read-only: status changes go through the referral screens (services)."""

    list_display = ["pk", "direction", "partner", "status", "created_at"]
    list_filter = ["direction", "status", "partner"]
    list_select_related = ["partner"]
    inlines = [ReferralEventInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Roadshow)
class RoadshowAdmin(admin.ModelAdmin):
    list_display = ["held_on", "venue", "partner", "people_reached", "contact_requests"]
    list_select_related = ["partner"]


@admin.register(Poster)
class PosterAdmin(admin.ModelAdmin):
    list_display = ["point", "channel", "code", "created_at"]
    list_select_related = ["point", "channel"]
    readonly_fields = ["code"]
