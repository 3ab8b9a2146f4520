"""Admin for points, with django-import-export for points, opening hours and
topics: an import always shows a dry run with per-row errors first, and is
applied in one transaction only after confirmation."""

from django.contrib import admin
from django.db import transaction
from import_export import fields, resources
from import_export.admin import ImportExportModelAdmin
from import_export.widgets import ForeignKeyWidget, ManyToManyWidget

from digibank.admin import HistoryInline
from digibank.changes import visits_changed
from digibank.models import District
from points.models import (
    Channel,
    Closure,
    MobileDeployment,
    OpeningPeriod,
    Point,
    QuestionTopic,
    Service,
    Visit,
    VisitEvent,
)


class PointResource(resources.ModelResource):
    district = fields.Field(attribute="district", column_name="district",
                            widget=ForeignKeyWidget(District, "slug"))
    services = fields.Field(attribute="services", column_name="services",
                            widget=ManyToManyWidget(Service, separator="|", field="slug"))

    class Meta:
        model = Point
        import_id_fields = ["slug"]
        fields = [
            "slug", "name", "kind", "street", "postcode", "city", "district", "latitude",
            "longitude", "phone", "description", "hours_note", "active_from", "active_until",
            "is_active", "wheelchair_accessible", "induction_loop", "accessible_toilet",
            "accessibility_note", "has_pc", "has_printer", "has_scanner", "has_eid_reader",
            "has_wifi", "services",
        ]
        skip_unchanged = True
        use_transactions = True


class OpeningPeriodResource(resources.ModelResource):
    point = fields.Field(attribute="point", column_name="point",
                         widget=ForeignKeyWidget(Point, "slug"))

    class Meta:
        model = OpeningPeriod
        fields = ["id", "point", "weekday", "opens", "closes", "valid_from", "valid_until"]
        use_transactions = True

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # Runs the model's constraints (closes after opens, valid range) so a bad
        # row is reported in the dry run instead of failing at the database.
        super().validate_instance(instance, import_validation_errors, validate_unique)
        instance.validate_constraints()


class QuestionTopicResource(resources.ModelResource):
    class Meta:
        model = QuestionTopic
        import_id_fields = ["slug"]
        fields = ["slug", "name", "group", "external_service", "order", "is_active"]
        skip_unchanged = True
        use_transactions = True


class OpeningPeriodInline(admin.TabularInline):
    model = OpeningPeriod
    extra = 0


@admin.register(Point)
class PointAdmin(ImportExportModelAdmin):
    resource_classes = [PointResource]
    list_display = ["name", "kind", "district", "is_active"]
    list_filter = ["kind", "district", "is_active"]
    search_fields = ["name", "street"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["staff", "services"]
    inlines = [OpeningPeriodInline]


@admin.register(OpeningPeriod)
class OpeningPeriodAdmin(ImportExportModelAdmin):
    resource_classes = [OpeningPeriodResource]
    list_display = ["point", "weekday", "opens", "closes", "valid_from", "valid_until"]
    list_filter = ["weekday", "point"]


@admin.register(QuestionTopic)
class QuestionTopicAdmin(ImportExportModelAdmin):
    resource_classes = [QuestionTopicResource]
    list_display = ["name", "group", "external_service", "order", "is_active"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "is_active"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ["point", "starts_on", "ends_on", "reason"]
    list_filter = ["point"]


@admin.register(MobileDeployment)
class MobileDeploymentAdmin(admin.ModelAdmin):
    list_display = ["point", "place", "starts_at", "ends_at", "theme", "topic"]
    list_select_related = ["point", "topic"]


class VisitEventInline(HistoryInline):
    model = VisitEvent
    readonly_fields = ["at", "actor", "from_status", "to_status", "note"]


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    """Read-only: visits change only through the counter's services."""

    list_display = ["point", "arrived_at", "status", "outcome"]
    list_filter = ["status", "outcome", "point"]
    date_hierarchy = "arrived_at"
    inlines = [VisitEventInline]
    raw_id_fields = ["resident"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False

    # Deleting visits changes the dashboard's figures of their days.
    def delete_model(self, request, obj) -> None:
        self.delete_queryset(request, Visit.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset) -> None:
        with transaction.atomic():
            visits_changed(pk__in=queryset.values("pk"))
            queryset.delete()
