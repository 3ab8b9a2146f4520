"""Read-mostly admin: sessions, enrolments and guidance change only through
trainings.services (on the staff pages, which tell the people concerned)."""

from django.contrib import admin
from django.urls import reverse

from digibank.admin import ServiceOwnedAdmin
from trainings.models import Course, Enrolment, Guidance, InterestEntry, Session
from trainings.services import feeds_changed


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "provider", "default_capacity", "is_active"]
    list_filter = ["is_active", "provider"]
    search_fields = ["title"]
    filter_horizontal = ["topics"]

    # The public calendar feeds show the course's title and summary.
    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        feeds_changed()


@admin.register(Session)
class SessionAdmin(ServiceOwnedAdmin):
    """Planned, changed and cancelled on the staff pages only: they check
    the calendar, tell everyone enrolled or waiting, promote the waiting list
    and keep the session's history."""

    view_only = True
    list_display = ["course", "starts_at", "point", "venue", "capacity", "status"]
    list_filter = ["status", "point"]
    list_select_related = ["course", "point", "venue"]
    date_hierarchy = "starts_at"

    def staff_page(self, obj) -> str:
        return reverse("trainings:session-detail", args=[obj.pk])


@admin.register(Enrolment)
class EnrolmentAdmin(ServiceOwnedAdmin):
    """Cancelled on the session page (the waiting list moves up there)."""

    view_only = True
    list_display = ["session", "resident", "status", "channel", "created_at"]
    list_filter = ["status", "channel"]
    list_select_related = ["session__course", "resident"]
    search_fields = ["resident__last_name", "session__course__title"]

    def staff_page(self, obj) -> str:
        return reverse("trainings:session-detail", args=[obj.session_id])


@admin.register(InterestEntry)
class InterestEntryAdmin(admin.ModelAdmin):
    list_display = ["resident", "course", "topic", "point", "created_at", "closed_at"]
    list_select_related = ["resident", "course", "topic", "point"]
    raw_id_fields = ["resident"]


@admin.register(Guidance)
class GuidanceAdmin(ServiceOwnedAdmin):
    list_display = ["resident", "coach", "status", "opened_on", "closed_on"]
    list_filter = ["status"]
    list_select_related = ["resident", "coach"]
    service_fields = ("resident", "status", "outcome", "referred_to", "closed_on")

    def staff_page(self, obj) -> str:
        return reverse("trainings:guidance-detail", args=[obj.pk])
