from django.contrib import admin

from outreach.models import Partner


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "is_training_partner", "is_active"]
    list_filter = ["kind", "is_training_partner", "is_active"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
