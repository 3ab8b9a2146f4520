from django.contrib import admin

from soundboard.models import SoundingBoard


@admin.register(SoundingBoard)
class SoundingBoardAdmin(admin.ModelAdmin):
    """Coordinators create boards here; members, meetings and feedback are
    kept on the staff screens (their services write the history)."""

    list_display = ["name", "kind", "target_group", "facilitator", "cadence_weeks", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["partners"]
