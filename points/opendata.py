"""Points as open data: OpenStreetMap ``opening_hours`` strings, schema.org
JSON-LD and the iCalendar feed of mobile deployments. All built from the
same models and time logic as the pages."""

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from itertools import groupby

from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from points import calendar
from points.models import Closure, OpeningPeriod, Point, local

OSM_DAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
SCHEMA_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
OSM_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
              "Dec"]


def current_periods(point: Point, today: date | None = None) -> list[OpeningPeriod]:
    """The periods valid today or later (seasonal periods that are over are left out)."""
    today = today or timezone.localdate()
    return [period for period in point.opening_periods.all()
            if period.valid_until is None or period.valid_until >= today]


def _osm_day_range(days: list[int]) -> str:
    """[0, 1, 2, 4] -> "Mo-We,Fr"."""
    parts, start = [], None
    for index, day in enumerate(days):
        if start is None:
            start = day
        if index + 1 == len(days) or days[index + 1] != day + 1:
            parts.append(OSM_DAYS[start] if start == day
                         else f"{OSM_DAYS[start]}{'-' if day - start > 1 else ','}{OSM_DAYS[day]}")
            start = None
    return ",".join(parts)


def _osm_date(day: date) -> str:
    return f"{day.year} {OSM_MONTHS[day.month - 1]} {day.day:02d}"


def _osm_days(start: date, end: date) -> str:
    return _osm_date(start) if start == end else f"{_osm_date(start)}-{_osm_date(end)}"


def _osm_times(hours) -> str:
    """[(09:00, 12:00), (13:00, 16:30)] -> "09:00-12:00,13:00-16:30" (one rule:
    in OSM syntax a second rule for the same day would replace the first)."""
    return ",".join(f"{opens:%H:%M}-{'24:00' if closes == time.min else f'{closes:%H:%M}'}"
                    for opens, closes in hours)


def _week_rules(week: dict[int, str], prefix: str = "") -> list[str]:
    """One rule per set of weekdays with the same times: {0: "09:00-12:00",
    1: "09:00-12:00", 3: "off"} -> ["Mo,Tu 09:00-12:00", "Th off"]."""
    groups: dict[str, list[int]] = {}
    for weekday in sorted(week):
        groups.setdefault(week[weekday], []).append(weekday)
    return [f"{prefix}{_osm_day_range(days)} {times}"
            for times, days in sorted(groups.items(), key=lambda item: item[1][0])]


def _week_on(point: Point, first: date, last: date | None) -> dict[int, str]:
    """The regular hours per weekday from ``first`` to ``last`` (None: for
    ever), a stretch in which no period starts or ends: "" when closed."""
    week = {}
    for offset in range(7):
        day = first + timedelta(days=offset)
        if last is None or day <= last:
            week[day.weekday()] = _osm_times(calendar.hours_on(point, day))
    return week


def _fixed_rules(point: Point, today: date) -> list[str]:
    """Every set of periods in force from ``today`` on, as rules.

    The days on which a period starts or ends (seasonal validity, the
    point's active dates) cut the future into stretches with one week
    schedule each. The last stretch, which runs for ever, is written
    without dates; each earlier one as dated rules for the weekdays whose
    hours differ from it (``off`` for a weekday closed then), which
    override the undated rules on those days only."""
    cuts = {today}
    for period in point.opening_periods.all():
        if period.valid_from and period.valid_from > today:
            cuts.add(period.valid_from)
        if period.valid_until and period.valid_until >= today:
            cuts.add(period.valid_until + timedelta(days=1))
    if point.active_from and point.active_from > today:
        cuts.add(point.active_from)
    if point.active_until and point.active_until >= today:
        cuts.add(point.active_until + timedelta(days=1))
    starts = sorted(cuts)
    tail = _week_on(point, starts[-1], None)
    rules = _week_rules({day: times for day, times in tail.items() if times})
    for first, following in zip(starts, starts[1:], strict=False):
        last = following - timedelta(days=1)
        week = _week_on(point, first, last)
        changed = {day: times or "off" for day, times in week.items() if times != tail[day]}
        if changed:
            rules += _week_rules(changed, prefix=f"{_osm_days(first, last)} ")
    return rules


def _mobile_rules(point: Point, today: date, holidays: Iterable[Closure]) -> list[str]:
    """One dated rule per run of days with the same stops (all of a day's
    stops in one rule), from today to the last deployment."""
    ends = [local(deployment.ends_at).date() for deployment in point.deployments.all()]
    if not ends or max(ends) < today:
        return []
    runs: list[tuple[date, date, str]] = []
    for stop_day, stops in groupby(calendar.stops_between(point, today, max(ends), holidays),
                                   key=lambda stop: stop.start.date()):
        times = _osm_times((stop.start.time(), stop.end.time()) for stop in stops)
        if runs and runs[-1][2] == times and runs[-1][1] + timedelta(days=1) == stop_day:
            runs[-1] = (runs[-1][0], stop_day, times)
        else:
            runs.append((stop_day, stop_day, times))
    return [f"{_osm_days(first, last)} {times}" for first, last, times in runs]


def osm_opening_hours(point: Point, today: date | None = None,
                      holidays: Iterable[Closure] | None = None) -> str:
    """The point's hours in OpenStreetMap ``opening_hours`` syntax, read from
    the same calendar as every page, so a parser of the string finds the
    point open at exactly the moments ``calendar.is_open_at`` does.

    Fixed points: every set of periods in force from today on (seasonal
    ones as dated rules). Mobile points: their stops, day by day. Then the
    closures ahead (the point's own, prefetched, and the city-wide
    ``holidays``) as dated ``off`` rules, which override the rules before
    them. No ``PH``: which days are holidays is what the closures say, not
    a parser's list of public holidays. "off" when nothing is planned."""
    today = today or timezone.localdate()
    if holidays is None:
        holidays = Closure.objects.ahead(today).filter(point__isnull=True)
    holidays = list(holidays)
    if not point.is_active:
        return "off"
    rules = (_mobile_rules(point, today, holidays) if point.is_mobile
             else _fixed_rules(point, today))
    if not rules:
        return "off"
    closures = sorted({(c.starts_on, c.ends_on) for c in (*holidays, *point.closures.all())
                       if c.ends_on >= today})
    rules += [f"{_osm_days(max(start, today), end)} off" for start, end in closures]
    return "; ".join(rules)


def point_as_data(point: Point, request, today: date | None = None,
                  holidays: Iterable[Closure] = ()) -> dict:
    """One point for ``/open-data/punten.json``; ``holidays`` are the
    city-wide closures ahead, the point's own come prefetched."""
    closures = [*holidays, *point.closures.all()]
    return {
        "name": point.name,
        "slug": point.slug,
        "url": request.build_absolute_uri(reverse("points:detail", args=[point.slug])),
        "kind": point.kind,
        "address": {"street": point.street, "postcode": point.postcode, "city": point.city,
                    "district": point.district.name},
        "latitude": float(point.latitude) if point.latitude is not None else None,
        "longitude": float(point.longitude) if point.longitude is not None else None,
        "phone": point.phone,
        "services": [service.name for service in point.services.all()],
        "accessibility": {
            "wheelchair": point.wheelchair_accessible, "induction_loop": point.induction_loop,
            "accessible_toilet": point.accessible_toilet, "note": point.accessibility_note,
        },
        "equipment": {
            "pc": point.has_pc, "printer": point.has_printer, "scanner": point.has_scanner,
            "eid_reader": point.has_eid_reader, "wifi": point.has_wifi,
        },
        "opening_periods": [
            {"weekday": SCHEMA_DAYS[p.weekday].lower(), "opens": f"{p.opens:%H:%M}",
             "closes": f"{p.closes:%H:%M}",
             "valid_from": p.valid_from.isoformat() if p.valid_from else None,
             "valid_until": p.valid_until.isoformat() if p.valid_until else None}
            for p in current_periods(point, today)
        ],
        "opening_hours": osm_opening_hours(point, today, holidays),
        "closures": [{"from": c.starts_on.isoformat(), "until": c.ends_on.isoformat(),
                      "reason": c.reason} for c in closures],
        # A mobile point's stops: where it stands when (a deployment over
        # two days, or split by its hours, is one entry per stop).
        "deployments": [
            {"place": stop.place, "address": stop.address, "district": stop.district.name,
             "starts_at": stop.start.isoformat(), "ends_at": stop.end.isoformat(),
             "theme": stop.deployment.theme}
            for stop in upcoming_stops(point, holidays, today)
        ] if point.is_mobile else [],
    }


def upcoming_stops(point: Point, holidays: Iterable[Closure], today: date | None = None,
                   now: datetime | None = None) -> list[calendar.Stop]:
    """A mobile point's stops not yet over, up to its last deployment."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    ends = [local(deployment.ends_at).date() for deployment in point.deployments.all()]
    if not ends:
        return []
    return [stop for stop in calendar.stops_between(point, today, max(ends), holidays)
            if stop.end > now]


def _postal_address(street: str, postcode: str, city: str) -> dict:
    return {"@type": "PostalAddress", "streetAddress": street, "postalCode": postcode,
            "addressLocality": city, "addressCountry": "BE"}


def point_json_ld(point: Point, url: str, closures, stops: Iterable[calendar.Stop] = ()
                  ) -> dict:
    """schema.org description of a point. A fixed point: its address and
    openingHoursSpecification (seasonal periods with validFrom and
    validThrough); closures ahead become special hours with opens = closes
    = 00:00. A mobile point: each coming stop as an Event at its Place with
    its address, so a search engine sees where and when it opens."""
    data = {
        "@context": "https://schema.org",
        "@type": "GovernmentOffice" if point.hosting_partner_id is None else "LocalBusiness",
        "name": point.name, "url": url, "telephone": point.phone or None,
        "isAccessibleForFree": True,
    }
    if point.is_mobile:
        data["event"] = [{
            "@type": "Event", "name": f"{point.name}: {stop.place}",
            "description": stop.deployment.theme or point.description or None,
            "startDate": stop.start.isoformat(), "endDate": stop.end.isoformat(),
            "eventStatus": "https://schema.org/EventScheduled",
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "isAccessibleForFree": True,
            "location": {"@type": "Place", "name": stop.place, "address": _postal_address(
                stop.deployment.street, stop.deployment.postcode, stop.deployment.city)},
            "organizer": {"@type": "Organization", "name": point.name, "url": url},
        } for stop in stops]
        for event in data["event"]:
            if event["description"] is None:
                del event["description"]
    else:
        data["address"] = _postal_address(point.street, point.postcode, point.city)
        data["openingHoursSpecification"] = [
            {"@type": "OpeningHoursSpecification", "dayOfWeek": SCHEMA_DAYS[p.weekday],
             "opens": f"{p.opens:%H:%M}", "closes": f"{p.closes:%H:%M}",
             **({"validFrom": p.valid_from.isoformat()} if p.valid_from else {}),
             **({"validThrough": p.valid_until.isoformat()} if p.valid_until else {})}
            for p in current_periods(point)
        ]
        data["specialOpeningHoursSpecification"] = [
            {"@type": "OpeningHoursSpecification", "opens": "00:00", "closes": "00:00",
             "validFrom": closure.starts_on.isoformat(),
             "validThrough": closure.ends_on.isoformat()}
            for closure in closures
        ]
        if point.latitude is not None and point.longitude is not None:
            data["geo"] = {"@type": "GeoCoordinates", "latitude": float(point.latitude),
                           "longitude": float(point.longitude)}
    return {key: value for key, value in data.items() if value is not None}


def deployments_calendar(points: Iterable[Point], request, name: str = "Digibank mobiel"
                         ) -> bytes:
    """An iCalendar feed of the stops of ``points`` (mobile points from
    ``with_schedule()``): one event per stop, so a closure or a split day
    shows as the calendar says. Times carry TZID=Europe/Brussels with the
    zone's VTIMEZONE, so every client reads the same instants."""
    ical = Calendar()
    ical.add("prodid", "-//Digibank//mobile deployments//NL")
    ical.add("version", "2.0")
    ical.add("x-wr-calname", name)
    ical.add("x-wr-timezone", "Europe/Brussels")
    stamp = timezone.now()
    host = request.get_host().split(":")[0] or "digibank"
    today = timezone.localdate()
    holidays = list(Closure.objects.ahead(today).filter(point__isnull=True))
    for point in points:
        for stop in upcoming_stops(point, holidays, today):
            deployment = stop.deployment
            event = Event()
            event.add("uid", f"deployment-{deployment.pk}-{stop.start:%Y%m%dT%H%M}@{host}")
            event.add("dtstamp", stamp)
            event.add("dtstart", stop.start)
            event.add("dtend", stop.end)
            summary = f"{point.name}: {deployment.place}"
            event.add("summary", f"{summary} ({deployment.theme})" if deployment.theme
                      else summary)
            event.add("location", deployment.address)
            event.add("url", request.build_absolute_uri(
                reverse("points:detail", args=[point.slug])))
            ical.add_component(event)
    ical.add_missing_timezones()
    return ical.to_ical()
