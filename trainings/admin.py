"""Read-mostly admin: statuses change only through trainings.services."""

from django import forms
from django.contrib import admin

from trainings.models import Course, Enrolment, Guidance, InterestEntry, Session
from trainings.services import TrainingError, check_session_times

# Where the calendar's reason for refusing a session goes.
_TIME_FIELDS = {"day": "starts_at", "start": "starts_at", "end": "ends_at"}
_WHEN_AND_WHERE = ("starts_at", "ends_at", "point", "venue", "is_online")


class SessionAdminForm(forms.ModelForm):
    """The calendar holds here too: no session on a closure, outside the
    point's hours, at a mobile point without a stop, or in the past."""

    class Meta:
        model = Session
        fields = ["course", "starts_at", "ends_at", "point", "venue", "room", "is_online",
                  "accessibility", "trainer", "capacity"]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_at"), cleaned.get("ends_at")
        if self.errors or not start or not end:
            return cleaned
        if self.instance.pk and not any(name in self.changed_data for name in _WHEN_AND_WHERE):
            return cleaned
        try:
            point = None if cleaned.get("is_online") else cleaned.get("point")
            check_session_times(point, [(start, end)])
        except TrainingError as exc:
            self.add_error(_TIME_FIELDS.get(exc.field), str(exc))
        return cleaned


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "provider", "default_capacity", "is_active"]
    list_filter = ["is_active", "provider"]
    search_fields = ["title"]
    filter_horizontal = ["topics"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    form = SessionAdminForm
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
