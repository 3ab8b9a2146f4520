from django import forms
from django.utils.translation import gettext_lazy as _

from points.models import Point


class ChoosePointForm(forms.Form):
    point = forms.ModelChoiceField(
        label=_("Point where you work now"), queryset=Point.objects.none(),
        error_messages={"invalid_choice": _("You do not work at that point.")},
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["point"].queryset = Point.objects.for_staff(user).filter(is_active=True)
