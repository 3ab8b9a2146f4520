"""A resident's story: what the digibank did with them, from every app,
newest first, each line linked to its record, and on top what runs now
(a device they have, a reservation, an enrolment to come …).

The kernel knows no app above it: each app names its part on its
AppConfig (``story = "devices.story"``), a module with
``entries(resident, cut, user)`` that returns its ``Entry`` rows in a fixed
number of queries, at most ``PER_KIND`` of each kind (the newest). The page's
query count does not grow with the person's history.

Every link is one the reader may open: the app links a record only when it
is in the queryset its view scopes to for ``user`` (a visit at their points,
a coach's own guidance), and the kernel drops a link whose view's role check
(``digibank.access.may_open``) would refuse them. Otherwise the line is
plain text.
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from importlib import import_module

from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# At most this many records of one kind on the page (the newest).
PER_KIND = 100
# The story shows this many lines open; the older ones fold under "Show all".
SHOWN = 20


@dataclass(frozen=True)
class Entry:
    """One line of the story."""

    when: datetime | date
    kind: str
    text: str
    status: str = ""
    url: str = ""
    # Something the person has or that still runs: shown on top as well.
    now: bool = False
    detail: str = ""

    @property
    def moment(self) -> datetime:
        """``when`` as an aware date-time, to sort days and moments together."""
        if isinstance(self.when, datetime):
            return self.when
        return datetime.combine(self.when, time.min, tzinfo=timezone.get_current_timezone())

    @property
    def has_time(self) -> bool:
        return isinstance(self.when, datetime)


@dataclass(frozen=True)
class Story:
    # What the person has and what runs now (on top, and only there).
    now: list[Entry]
    # Everything else, newest first.
    history: list[Entry]
    # Kinds with more than PER_KIND records: only the newest are shown.
    cut: list[str]

    @property
    def recent(self) -> list[Entry]:
        """The newest ``SHOWN`` lines of the history, shown open."""
        return self.history[:SHOWN]

    @property
    def older(self) -> list[Entry]:
        """The rest, folded under "Show all"."""
        return self.history[SHOWN:]


def newest(rows: Iterable, kind: str, cut: list[str]) -> list:
    """The first ``PER_KIND`` of ``rows`` (a queryset sorted newest first,
    sliced one further to tell whether there were more)."""
    rows = list(rows[: PER_KIND + 1])
    if len(rows) > PER_KIND:
        cut.append(str(kind))
    return rows[:PER_KIND]


def story_of(resident, user) -> Story:
    """``resident``'s story as ``user`` may read it (see the module's text)."""
    from digibank.access import may_open

    cut: list[str] = []
    entries = list(entries_of_the_kernel(resident, cut))
    for config in apps.get_app_configs():
        module = getattr(config, "story", None)
        if module:
            entries += import_module(module).entries(resident, cut, user)
    entries = [entry if not entry.url or may_open(user, entry.url) else replace(entry, url="")
               for entry in entries]
    entries.sort(key=lambda entry: entry.moment, reverse=True)
    return Story(now=[entry for entry in entries if entry.now],
                 history=[entry for entry in entries if not entry.now], cut=cut)


CONSENT = gettext_lazy("Consent")
MESSAGE = gettext_lazy("Message")
CALL = gettext_lazy("Call")


def entries_of_the_kernel(resident, cut: list[str]) -> Iterable[Entry]:
    """Consents, messages sent and calls made."""
    from digibank.models import CallStatus, NotificationChannel

    for consent in newest(resident.consents.select_related("partner")
                          .order_by("-given_on", "-pk"), CONSENT, cut):
        text = consent.get_purpose_display()
        if consent.partner_id:
            text += f" ({consent.partner})"
        status = (_("withdrawn on %(day)s") % {"day": f"{consent.withdrawn_on:%d/%m/%Y}"}
                  if consent.withdrawn_on else "")
        yield Entry(when=consent.given_on, kind=str(CONSENT), text=text, status=status,
                    url=f"{reverse('residents:detail', args=[resident.pk])}#consents")
    for message in newest(resident.notifications.order_by("-created_at", "-pk"), MESSAGE, cut):
        if message.channel == NotificationChannel.EMAIL:
            status = _("e-mail sent") if message.sent_at else _("e-mail to send")
        else:
            status = _("by phone")
        yield Entry(when=message.created_at, kind=str(MESSAGE),
                    text=message.subject or _("(text removed)"), status=status)
    for call in newest(resident.call_tasks.select_related("handled_by")
                       .order_by("-created_at", "-pk"), CALL, cut):
        if call.status == CallStatus.OPEN:
            status = _("to call on %(day)s") % {"day": f"{call.due_on:%d/%m/%Y}"}
        else:
            status = call.get_result_display() or call.get_status_display()
        who = call.handled_by.get_full_name() or call.handled_by.username \
            if call.handled_by else ""
        yield Entry(when=call.handled_at or call.created_at, kind=str(CALL),
                    text=call.subject or _("(text removed)"), status=status,
                    detail=who, now=call.status == CallStatus.OPEN,
                    url=reverse("call-list"))
