"""Dutch data in the English interface is marked lang="nl": the choices a
form offers among rows of a model of typed-in Dutch text, and such text
inside a translated sentence."""

import pytest
from django import forms
from django.utils import translation

from digibank.forms import ResidentForm, UserChoiceField
from digibank.models import AuditAction, User
from digibank.services import record_audit
from digibank.templatetags.data_language import dutch
from points.models import QuestionTopic
from tests.factories import make_target_group, make_user
from tests.points.factories import make_topic

pytestmark = pytest.mark.django_db


def test_a_target_group_checkbox_is_marked_dutch():
    group = make_target_group("Ouderen")
    with translation.override("en"):
        html = str(ResidentForm()["target_groups"])
    assert f'value="{group.pk}"' in html
    assert '<label for="id_target_groups_0" lang="nl"><input' in html
    assert "Ouderen</label>" in html


def test_a_topic_option_is_marked_dutch():
    topic = make_topic("Bankapp")

    class TopicForm(forms.Form):
        topic = forms.ModelChoiceField(queryset=QuestionTopic.objects.all())

    with translation.override("en"):
        html = str(TopicForm()["topic"])
    assert f'<option value="{topic.pk}" lang="nl">Bankapp</option>' in html


def test_a_choice_among_users_has_no_language_of_its_own():
    make_user("host", username="anna")

    class WhoForm(forms.Form):
        who = UserChoiceField(queryset=User.objects.all())

    assert "lang=" not in str(WhoForm()["who"])


def test_the_dutch_filter_wraps_stored_text_and_escapes_it():
    assert dutch("Tax-on-web & co <b>") == (
        '<span lang="nl">Tax-on-web &amp; co &lt;b&gt;</span>')


def test_an_audit_row_keeps_the_language_its_summary_was_written_in():
    with translation.override("en"):
        event = record_audit(actor=None, action=AuditAction.EXPORT, summary="Sheet printed")
    assert event.language == "en"
