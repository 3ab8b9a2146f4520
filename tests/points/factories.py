"""Builders for points tests."""

from datetime import date, datetime, time

from points.models import (
    BRUSSELS,
    Channel,
    Closure,
    MobileDeployment,
    OpeningPeriod,
    Point,
    PointKind,
    QuestionTopic,
    Service,
    Visit,
    VisitEvent,
    VisitStatus,
)
from tests.factories import _n, make_point


def brussels(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BRUSSELS)


def make_period(point: Point, weekday: int, opens: str, closes: str, **fields) -> OpeningPeriod:
    return OpeningPeriod.objects.create(point=point, weekday=weekday,
                                        opens=time.fromisoformat(opens),
                                        closes=time.fromisoformat(closes), **fields)


def make_closure(point: Point | None, starts_on: date, ends_on: date | None = None,
                 reason: str = "Gesloten") -> Closure:
    return Closure.objects.create(point=point, starts_on=starts_on, ends_on=ends_on or starts_on,
                                  reason=reason)


def make_mobile_point(name: str | None = None, **fields) -> Point:
    return make_point(name or f"Mobile {_n()}", kind=PointKind.MOBILE, **fields)


def make_deployment(point: Point, starts_at: datetime, ends_at: datetime,
                    **fields) -> MobileDeployment:
    fields.setdefault("district", point.district)
    fields.setdefault("street", "Markt 1")
    fields.setdefault("postcode", "2800")
    return MobileDeployment.objects.create(point=point, starts_at=starts_at, ends_at=ends_at,
                                           place=fields.pop("place", "Markt"), **fields)


def make_topic(name: str | None = None, **fields) -> QuestionTopic:
    name = name or f"Topic {_n()}"
    return QuestionTopic.objects.create(name=name, slug=name.lower().replace(" ", "-"), **fields)


def make_channel(name: str | None = None, **fields) -> Channel:
    name = name or f"Channel {_n()}"
    fields.setdefault("slug", name.lower().replace(" ", "-"))
    return Channel.objects.create(name=name, **fields)


def make_service(name: str | None = None) -> Service:
    name = name or f"Service {_n()}"
    return Service.objects.create(name=name, slug=name.lower().replace(" ", "-"))


def make_visit(point: Point, *, status: str = VisitStatus.WAITING, arrived_at=None,
               **fields) -> Visit:
    from django.utils import timezone

    arrived_at = arrived_at or timezone.now()
    visit = Visit.objects.create(point=point, status=status, arrived_at=arrived_at, **fields)
    VisitEvent.objects.create(visit=visit, at=arrived_at, to_status=status)
    return visit


