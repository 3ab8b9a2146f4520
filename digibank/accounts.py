"""Logging in and resetting a password, hardened: input too long for any
account is refused before it reaches the login throttle's tables, and the
password-reset form gives the same answer, in about the same time, whether
or not the address has an account, with a limit per address and per
network address."""

import hashlib

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.validators import MaxLengthValidator
from django.shortcuts import redirect
from django.template import loader
from django.urls import reverse_lazy

from digibank.cache import cache_incr
from digibank.outbox import queue_email

# Longer than any password a person types; hashing 100 KB costs the server.
PASSWORD_MAX_LENGTH = 1024

RESET_WINDOW_SECONDS = 3600
RESET_LIMIT_PER_ADDRESS = 3
RESET_LIMIT_PER_IP = 20


class LoginForm(AuthenticationForm):
    """Django's login form, which shows the username's maximum length but
    does not check it: a long username would reach the throttle's records."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].validators.append(
            MaxLengthValidator(self.fields["username"].max_length))
        self.fields["password"].validators.append(MaxLengthValidator(PASSWORD_MAX_LENGTH))

    def clean(self):
        if self.errors:  # a field was refused: never try to log in with it
            return self.cleaned_data
        return super().clean()


class OutboxPasswordResetForm(PasswordResetForm):
    """The reset link goes through the outbox: the request only writes a
    row, so an address with an account answers as fast as one without, and
    the link is emptied from the outbox once it left."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email,
                  to_email, html_email_template_name=None):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        queue_email(topic=f"auth.password-reset:{context['uid']}:{context['token']}",
                    to=[to_email], subject=subject, body=body)


def _over_limit(kind: str, value: str, limit: int) -> bool:
    digest = hashlib.sha256(value.encode()).hexdigest()[:32]
    count = cache_incr(f"auth:password-reset:{kind}:{digest}", RESET_WINDOW_SECONDS)
    return count is not None and count > limit


class PasswordResetView(auth_views.PasswordResetView):
    form_class = OutboxPasswordResetForm
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        address = form.cleaned_data["email"].strip().lower()
        network = self.request.META.get("REMOTE_ADDR", "")
        # Counted either way, and answered alike: the page never tells
        # whether an address has an account, nor that a limit was reached.
        over = _over_limit("ip", network, RESET_LIMIT_PER_IP)
        over = _over_limit("address", address, RESET_LIMIT_PER_ADDRESS) or over
        if over:
            return redirect(self.get_success_url())
        return super().form_valid(form)
