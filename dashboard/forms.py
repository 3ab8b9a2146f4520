"""The dashboard's and demand page's forms."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from dashboard.demand import HeatMeasure
from digibank.fields import DateInput
from digibank.models import District
from points.models import Point, PointKind, QuestionTopic


class DashboardForm(forms.Form):
    """The dashboard's period and place. Staff other than coordinators only
    get their own points to choose from, and no districts.

    The period defaults to this year until ``today``; a missing start is the
    first of January of the end's year, a missing end is today (or the start,
    when it lies ahead). A point and a district together must agree: the
    point has to lie in the district (or in one of its wijken)."""

    start = forms.DateField(label=_("From"), required=False,
                            widget=DateInput())
    end = forms.DateField(label=_("Until and including"), required=False,
                          widget=DateInput())
    point = forms.ModelChoiceField(
        label=_("Point"), queryset=None, required=False, empty_label=_("All points"),
        error_messages={"invalid_choice": _(
            "There is no such point among yours. Choose a point from the list.")})
    district = forms.ModelChoiceField(
        label=_("District"), queryset=District.objects.all(), required=False,
        empty_label=_("All districts"),
        error_messages={"invalid_choice": _(
            "There is no such district. Choose a district from the list.")})

    def __init__(self, *args, points, may_choose_district: bool, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["point"].queryset = points
        # A district asked for by someone who may not choose one is refused,
        # not dropped: the figures shown would not be the district's.
        self.district_refused = bool(not may_choose_district and self.data.get("district"))
        if not may_choose_district:
            del self.fields["district"]

    def clean(self):
        cleaned = super().clean()
        if self.district_refused:
            self.add_error(None, _(
                "Only a coordinator can filter on a district. Choose one of your points."))
        start, end = cleaned.get("start"), cleaned.get("end")
        # Only a side left empty gets its default; a wrong one stays an error.
        # The default is put in the form's data too, so the field shows it.
        filled = {}
        if start is None and "start" not in self.errors:
            start = filled["start"] = date((end or self.today).year, 1, 1)
        if end is None and "end" not in self.errors:
            end = filled["end"] = max(self.today, start) if start else self.today
        if filled:
            cleaned.update(filled)
            self.data = self.data.copy()
            for name, day in filled.items():
                self.data[name] = day.isoformat()
        point, district = cleaned.get("point"), cleaned.get("district")
        if point and district and district.pk not in (point.district_id,
                                                      getattr(point.district, "parent_id", None)):
            self.add_error("point", _(
                "%(point)s does not lie in %(district)s. Choose a point in that district, "
                "or all points.") % {"point": point.name, "district": district.name})
        if start and end and end < start:
            self.add_error("end", _("The end must not be before the start."))
        elif start and end and (end - start).days > 366 * 5:
            self.add_error("end", _("Choose a period of at most five years."))
        return cleaned


class ReachPeriodForm(forms.Form):
    """The reach report's period; either side may stay open (all time)."""

    start = forms.DateField(label=_("From"), required=False,
                            widget=DateInput())
    end = forms.DateField(label=_("Until and including"), required=False,
                          widget=DateInput())

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end date comes before the start date."))
        return cleaned


class DemandForm(forms.Form):
    start = forms.DateField(label=_("From"),
                            widget=DateInput())
    end = forms.DateField(label=_("Until and including"),
                          widget=DateInput())
    topic = forms.ModelChoiceField(
        label=_("Topic"), queryset=QuestionTopic.objects.all(), required=False,
        empty_label=_("All topics"), error_messages={"invalid_choice": _(
            "There is no such topic. Choose a topic from the list.")})
    measure = forms.ChoiceField(label=_("Colour of the heat map"), choices=HeatMeasure.CHOICES,
                                required=False)

    def clean(self):
        cleaned = super().clean()
        cleaned["measure"] = cleaned.get("measure") or HeatMeasure.VISITS
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            self.add_error("end", _("The end must not be before the start."))
        return cleaned


class PlanSuggestionForm(forms.Form):
    """One click on a suggestion: everything comes in hidden or preset fields."""

    district = forms.ModelChoiceField(queryset=District.objects.all(), widget=forms.HiddenInput)
    topic = forms.ModelChoiceField(queryset=QuestionTopic.objects.all(), widget=forms.HiddenInput)
    day = forms.DateField(label=_("Day"),
                          widget=DateInput())
    point = forms.ModelChoiceField(
        label=_("Mobile point"), queryset=Point.objects.filter(kind=PointKind.MOBILE,
                                                                is_active=True),
        empty_label=_("Choose a mobile point"),
        error_messages={"required": _("Choose a mobile point."),
                        "invalid_choice": _("Choose a mobile point from the list.")},
    )

    def __init__(self, *args, mobile_points: list[Point] | None = None, **kwargs) -> None:
        """``mobile_points``: the active mobile points, read once for a page
        with a form per suggestion, to offer without a query per form. A
        submitted point is still checked against the database."""
        super().__init__(*args, **kwargs)
        field = self.fields["point"]
        if mobile_points is not None:
            field.choices = [("", field.empty_label)] + [
                (point.pk, field.label_from_instance(point)) for point in mobile_points]
        if self.is_bound and not self.data.get("point") and not field.queryset.exists():
            field.error_messages["required"] = _(
                "There is no active mobile point yet: add one under Points first.")
