from django.template import Context, Template

from digibank.templatetags.phone import tel


def test_tel_link_of_a_belgian_number_is_in_e164_form():
    assert tel("015 29 40 00") == "tel:+3215294000"


def test_tel_link_of_a_foreign_number_keeps_its_country_code():
    assert tel("+31 6 12345678") == "tel:+31612345678"


def test_tel_link_of_an_invalid_number_keeps_only_digits():
    assert tel(" 12 34-5 ") == "tel:12345"


def test_tel_filter_renders_an_href_without_spaces():
    html = Template('{% load phone %}<a href="{{ phone|tel }}">{{ phone }}</a>').render(
        Context({"phone": "0470 12 34 56"}))
    assert html == '<a href="tel:+32470123456">0470 12 34 56</a>'
