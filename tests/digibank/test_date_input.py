from datetime import date

from django import forms
from django.utils import translation

from digibank.fields import DateInput


class _Form(forms.Form):
    day = forms.DateField(widget=DateInput())


def test_date_input_holds_an_iso_value_in_the_dutch_interface():
    with translation.override("nl"):
        html = str(_Form(initial={"day": date(2026, 12, 7)})["day"])
    assert 'type="date"' in html
    assert 'value="2026-12-07"' in html


def test_date_input_reads_back_the_iso_value_the_browser_sends():
    with translation.override("nl"):
        form = _Form(data={"day": "2026-12-07"})
        assert form.is_valid()
    assert form.cleaned_data["day"] == date(2026, 12, 7)
