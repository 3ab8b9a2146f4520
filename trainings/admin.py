"""Read-mostly admin: statuses change only through trainings.services."""

from django.contrib import admin

from trainings.models import Course, Enrolment, Guidance, InterestEntry, Session


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "provider", "default_capacity", "is_active"]
    list_filter = ["is_active", "provider"]
    search_fields = ["title"]
    filter_horizontal = ["topics"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["course", "starts_at", "point", "venue", "capacity", "status"]
    list_filter = ["status", "point"]
    list_select_related = ["course", "point", "venue"]
    readonly_fields = ["status", "cancel_reason", "run"]
    date_hierarchy = "starts_at"


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["session", "resident", "status", "channel", "created_at"]
    list_filter = ["status", "channel"]
    list_select_related = ["session__course", "resident"]
    readonly_fields = ["session", "resident", "status", "enrolled_by", "waiting_since",
                       "run_enrolment"]
    search_fields = ["resident__last_name", "session__course__title"]


@admin.register(InterestEntry)
class InterestEntryAdmin(admin.ModelAdmin):
    list_display = ["resident", "course", "topic", "point", "created_at", "closed_at"]
    list_select_related = ["resident", "course", "topic", "point"]
    raw_id_fields = ["resident"]


@admin.register(Guidance)
class GuidanceAdmin(admin.ModelAdmin):
    list_display = ["resident", "coach", "status", "opened_on", "closed_on"]
    list_filter = ["status"]
    list_select_related = ["resident", "coach"]
    readonly_fields = ["status", "outcome", "referred_to", "closed_on"]
    raw_id_fields = ["resident"]
