from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from import_export import fields, resources
from import_export.admin import ImportExportModelAdmin
from import_export.widgets import ForeignKeyWidget, ManyToManyWidget

from digibank.admin import HistoryInline, ServiceOwnedAdmin
from digibank.models import District, TargetGroup
from outreach.forms import OFFER_FIELDS
from outreach.models import (
    GivenOffer,
    GlossaryTerm,
    Offer,
    OfferAction,
    OfferEvent,
    Partner,
    PartnerContact,
    Poster,
    Referral,
    ReferralEvent,
    Roadshow,
    SearchSynonym,
)
from outreach.opendata import offer_feed_changed
from outreach.search import index_offers
from points.models import Point, QuestionTopic


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


class ReferralEventInline(HistoryInline):
    model = ReferralEvent
    readonly_fields = ["at", "actor", "from_status", "to_status", "note"]


@admin.register(Referral)
class ReferralAdmin(ServiceOwnedAdmin):
    """Read-only: status changes go through the referral screens (services)."""

    view_only = True

    list_display = ["pk", "direction", "partner", "status", "created_at"]
    list_filter = ["direction", "status", "partner"]
    list_select_related = ["partner"]
    inlines = [ReferralEventInline]

    def staff_page(self, obj) -> str:
        return reverse("outreach:referral-detail", args=[obj.pk])


@admin.register(Roadshow)
class RoadshowAdmin(admin.ModelAdmin):
    list_display = ["held_on", "venue", "partner", "people_reached", "contact_requests"]
    list_select_related = ["partner"]


@admin.register(Poster)
class PosterAdmin(admin.ModelAdmin):
    list_display = ["point", "channel", "code", "created_at"]
    list_select_related = ["point", "channel"]
    readonly_fields = ["code"]


class OfferResource(resources.ModelResource):
    """Offers in and out as a spreadsheet. Partners, points, districts,
    topics and target groups by their slug; an empty id adds a new offer."""

    provider = fields.Field(attribute="provider", column_name="provider",
                            widget=ForeignKeyWidget(Partner, "slug"))
    point = fields.Field(attribute="point", column_name="point",
                         widget=ForeignKeyWidget(Point, "slug"))
    district = fields.Field(attribute="district", column_name="district",
                            widget=ForeignKeyWidget(District, "slug"))
    topics = fields.Field(attribute="topics", column_name="topics",
                          widget=ManyToManyWidget(QuestionTopic, separator="|", field="slug"))
    target_groups = fields.Field(
        attribute="target_groups", column_name="target_groups",
        widget=ManyToManyWidget(TargetGroup, separator="|", field="slug"))

    class Meta:
        model = Offer
        fields = ["id", *OFFER_FIELDS, "last_checked_on"]
        skip_unchanged = True
        use_transactions = True

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # Offer.clean: a typed next date fits the schedule or "Wanneer".
        errors = dict(import_validation_errors or {})
        try:
            instance.clean()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        # The model's constraints (valid range, no negative price) are checked in
        # the dry run, so a bad row is reported instead of failing at the database.
        super().validate_instance(instance, errors, validate_unique)
        instance.validate_constraints()

    def after_import(self, dataset, result, **kwargs):
        # After the many-to-many fields are saved: the search reads the topics.
        # (A dry run is rolled back with its rows.)
        super().after_import(dataset, result, **kwargs)
        index_offers(Offer.objects.filter(pk__in=[
            row.object_id for row in result.valid_rows() if row.object_id]))

    def after_save_instance(self, instance, row, **kwargs):
        # Imports are changes too: they go in the offer's history.
        if not kwargs.get("dry_run"):
            OfferEvent.objects.create(offer=instance, action=OfferAction.CHANGED,
                                      changes="import")
            offer_feed_changed()


class OfferEventInline(HistoryInline):
    model = OfferEvent
    readonly_fields = ["at", "actor", "action", "changes"]


@admin.register(Offer)
class OfferAdmin(ImportExportModelAdmin):
    resource_classes = [OfferResource]
    list_display = ["title", "kind", "price_kind", "provider", "last_checked_on",
                    "valid_until", "is_published"]
    list_filter = ["kind", "price_kind", "is_published", "provider"]
    list_select_related = ["provider"]
    search_fields = ["title"]
    inlines = [OfferEventInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    # The admin changes offers without a service: the open data feed must
    # still move on (after the offer and its topics are saved).
    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        index_offers(Offer.objects.filter(pk=form.instance.pk))
        offer_feed_changed()

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        offer_feed_changed()

    def delete_queryset(self, request, queryset) -> None:
        super().delete_queryset(request, queryset)
        offer_feed_changed()


@admin.register(GivenOffer)
class GivenOfferAdmin(admin.ModelAdmin):
    list_display = ["given_at", "visit", "offer", "session", "given_by"]
    list_select_related = ["offer", "session__course", "given_by", "visit"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    """The words residents use, kept by coordinators (outreach.search)."""

    list_display = ["term", "alternatives"]
    search_fields = ["term", "alternatives"]


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(admin.ModelAdmin):
    """Terms explained on the public offer pages (outreach.glossary)."""

    list_display = ["term", "variants", "explanation"]
    search_fields = ["term", "variants", "explanation"]
