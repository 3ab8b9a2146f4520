"""Visits changed after the fact: the kernel passes the news on.

The dashboard (``dashboard.rollup``, a floor above the domain apps) keeps
the additive figures of every past day in a nightly roll-up. Every service
that changes a visit of an earlier day (a correction, a late registration,
moving a resident to another district, deleting a coach …) must mark that
day not built, inside its own transaction, so the figures read the raw
visits at once. The kernel and the domain apps may not import the
dashboard, so they say here what changed and the dashboard registers its
handler on its AppConfig (as apps register activity checks).

A handler is called with either ``days`` (the local days whose visits
changed) or ``lookup``, a filter on ``points.Visit`` (``{"resident":
resident}``, ``{"coach__in": users}``) for the visits that are about to
change in bulk (call before a delete or a bulk update, in the same
transaction).
"""

from collections.abc import Callable, Iterable
from datetime import date, datetime

from digibank.days import local_day

VisitsChanged = Callable[..., None]
_handlers: list[VisitsChanged] = []


def register_visits_changed(handler: VisitsChanged) -> VisitsChanged:
    if handler not in _handlers:
        _handlers.append(handler)
    return handler


def visit_days_changed(days: Iterable[date]) -> None:
    """Visits of these local days changed."""
    days = list(days)
    for handler in _handlers:
        handler(days=days)


def visit_changed(arrived_at: datetime) -> None:
    """A visit that arrived at ``arrived_at`` changed (call after saving it)."""
    visit_days_changed([local_day(arrived_at)])


def visits_changed(**lookup) -> None:
    """The visits matching ``lookup`` are about to change in bulk."""
    for handler in _handlers:
        handler(lookup=lookup)
