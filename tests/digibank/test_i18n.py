import datetime

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_pages_are_dutch_even_when_the_browser_asks_for_english(client):
    response = client.get(reverse("accessibility"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "nl"
    assert "Toegankelijkheidsverklaring" in response.content.decode()


def test_choosing_english_switches_the_interface(client):
    client.post(reverse("set-language"), {"language": "en", "next": "/toegankelijkheid/"})
    response = client.get(reverse("accessibility"))
    assert response["Content-Language"] == "en"
    assert "Accessibility statement" in response.content.decode()


def test_dates_read_day_month_year_with_slashes():
    with translation.override("nl"):
        rendered = Template('{{ day|date:"SHORT_DATE_FORMAT" }}').render(
            Context({"day": datetime.date(2026, 11, 26)})
        )
    assert rendered == "26/11/2026"


def test_date_fields_accept_belgian_input():
    from django import forms

    class DayForm(forms.Form):
        day = forms.DateField()

    with translation.override("nl"):
        form = DayForm({"day": "26/11/2026"})
        assert form.is_valid()
    assert form.cleaned_data["day"] == datetime.date(2026, 11, 26)
