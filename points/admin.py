"""Admin for points, with django-import-export for points, opening hours and
topics: an import always shows a dry run with per-row errors first, and is
applied in one transaction only after confirmation."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms import BaseInlineFormSet
from django.urls import reverse
from django.utils.translation import gettext as _
from import_export import fields, resources
from import_export.admin import ImportExportModelAdmin
from import_export.widgets import ForeignKeyWidget, ManyToManyWidget

from digibank.admin import HistoryInline, ServiceOwnedAdmin
from digibank.models import District
from points.forms import add_planning_errors
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
from points.services import (
    ScheduleError,
    add_closure,
    check_hours_keep_plans,
    closure_clashes,
    plan_deployment,
    remove_deployment,
)


def _periods_if(point: Point, changed: OpeningPeriod | None = None,
                removed: OpeningPeriod | None = None) -> list[OpeningPeriod]:
    """The point's periods with one changed or removed: what the calendar
    would read after an admin edit."""
    gone = {period.pk for period in (changed, removed) if period is not None and period.pk}
    periods = [period for period in point.opening_periods.all() if period.pk not in gone]
    return [*periods, changed] if changed is not None else periods


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
        # row is reported in the dry run instead of failing at the database,
        # and refuses hours that would leave a planned training outside them.
        super().validate_instance(instance, import_validation_errors, validate_unique)
        instance.validate_constraints()
        try:
            check_hours_keep_plans(instance.point, _periods_if(instance.point, changed=instance))
        except ScheduleError as exc:
            raise ValidationError({"weekday": str(exc)}) from None


class QuestionTopicResource(resources.ModelResource):
    class Meta:
        model = QuestionTopic
        import_id_fields = ["slug"]
        fields = ["slug", "name", "group", "external_service", "order", "is_active"]
        skip_unchanged = True
        use_transactions = True


class OpeningPeriodInlineFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if self.instance.pk is None or any(form.errors for form in self.forms):
            return
        kept = [form.instance for form in self.forms
                if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        try:
            check_hours_keep_plans(self.instance, kept)
        except ScheduleError as exc:
            raise ValidationError(str(exc)) from None


class OpeningPeriodInline(admin.TabularInline):
    model = OpeningPeriod
    formset = OpeningPeriodInlineFormSet
    extra = 0


class OpeningPeriodAdminForm(forms.ModelForm):
    class Meta:
        model = OpeningPeriod
        fields = ["point", "weekday", "opens", "closes", "valid_from", "valid_until"]

    def clean(self):
        cleaned = super().clean()
        if self.errors or not cleaned.get("point"):
            return cleaned
        changed = OpeningPeriod(pk=self.instance.pk, **{
            name: cleaned.get(name) for name in self.Meta.fields})
        if changed.closes and changed.opens and changed.closes > changed.opens:
            try:
                check_hours_keep_plans(cleaned["point"], _periods_if(cleaned["point"], changed))
            except ScheduleError as exc:
                self.add_error(None, str(exc))
        return cleaned


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
    form = OpeningPeriodAdminForm
    list_display = ["point", "weekday", "opens", "closes", "valid_from", "valid_until"]
    list_filter = ["weekday", "point"]

    def delete_model(self, request, obj) -> None:
        self.delete_queryset(request, OpeningPeriod.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset) -> None:
        """A period whose removal would leave a plan outside the hours stays."""
        for period in queryset.select_related("point"):
            try:
                with transaction.atomic():
                    check_hours_keep_plans(period.point, _periods_if(period.point,
                                                                     removed=period))
                    period.delete()
            except ScheduleError as exc:
                self.message_user(request, str(exc), messages.ERROR)


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


class ClosureAdminForm(forms.ModelForm):
    class Meta:
        model = Closure
        fields = ["point", "starts_on", "ends_on", "reason"]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
        if self.errors or not start or not end or end < start:
            return cleaned
        clashes = closure_clashes(point=cleaned.get("point"), starts_on=start, ends_on=end)
        if clashes:
            self.add_error("starts_on", _(
                "This closure falls on %(count)s plans. Add it on the closures page of the "
                "point (or the city-wide holidays), which lists them and cancels them when you "
                "confirm.") % {"count": len(clashes.items) + len(clashes.deployments)})
        return cleaned


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    form = ClosureAdminForm
    list_display = ["point", "starts_on", "ends_on", "reason"]
    list_filter = ["point"]

    def save_model(self, request, obj, form, change) -> None:
        if change:
            obj.save()  # the form found no plan in its new days
        else:
            obj.pk = add_closure(actor=request.user, point=obj.point, starts_on=obj.starts_on,
                                 ends_on=obj.ends_on, reason=obj.reason).closure.pk


class DeploymentAdminForm(forms.ModelForm):
    class Meta:
        model = MobileDeployment
        fields = ["point", "place", "street", "postcode", "city", "district", "starts_at",
                  "ends_at", "theme", "topic", "partner"]

    def clean(self):
        cleaned = super().clean()
        point, start, end = (cleaned.get(name) for name in ("point", "starts_at", "ends_at"))
        if not (point and start and end):
            return cleaned
        # Every broken rule at once, next to its field, as on the coordinator's form.
        add_planning_errors(self, MobileDeployment(
            pk=self.instance.pk, point=point, starts_at=start, ends_at=end,
            street=cleaned.get("street") or "", postcode=cleaned.get("postcode") or "",
            district=cleaned.get("district")))
        return cleaned


@admin.register(MobileDeployment)
class MobileDeploymentAdmin(admin.ModelAdmin):
    """Through the same services as the coordinator's screens: no deployment
    on a closure, in the past, over another or under a planned training."""

    form = DeploymentAdminForm
    list_display = ["point", "place", "starts_at", "ends_at", "theme", "topic"]
    list_select_related = ["point", "topic"]

    def save_model(self, request, obj, form, change) -> None:
        plan_deployment(deployment=obj)

    def delete_model(self, request, obj) -> None:
        self.delete_queryset(request, MobileDeployment.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset) -> None:
        for deployment in queryset:
            try:
                remove_deployment(deployment=deployment)
            except ScheduleError as exc:
                self.message_user(request, str(exc), messages.ERROR)


class VisitEventInline(HistoryInline):
    model = VisitEvent
    readonly_fields = ["at", "actor", "from_status", "to_status", "note"]


@admin.register(Visit)
class VisitAdmin(ServiceOwnedAdmin):
    """Read-only: visits change only through the counter's services (a
    cancellation there keeps who cancelled it, when, why and what it held in
    the audit trail; the dashboard's figures follow)."""

    view_only = True

    list_display = ["point", "arrived_at", "status", "outcome"]
    list_filter = ["status", "outcome", "point"]
    date_hierarchy = "arrived_at"
    inlines = [VisitEventInline]
    raw_id_fields = ["resident"]

    def staff_page(self, obj) -> str:
        return reverse("counter:visit-cancel", args=[obj.pk])
