"""Points as open data: OpenStreetMap ``opening_hours`` strings, schema.org
JSON-LD and the iCalendar feed of mobile deployments. All built from the
same models and time logic as the pages."""

from collections.abc import Iterable
from datetime import date, datetime

from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from points.models import Closure, MobileDeployment, OpeningPeriod, Point, local

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


def osm_opening_hours(point: Point, today: date | None = None,
                      closures: Iterable[Closure] = ()) -> str:
    """The point's hours in OpenStreetMap ``opening_hours`` syntax.

    Fixed points: the periods in force today, weekdays with equal hours
    grouped, closed on public holidays. Mobile points: one rule per
    upcoming deployment. ``closures`` (the point's and the city-wide ones
    ahead) follow as "off" rules, which override the rules before them.
    "off" when nothing is planned."""
    today = today or timezone.localdate()
    if point.is_mobile:
        rules = []
        for deployment in point.deployments.all():
            start, end = local(deployment.starts_at), local(deployment.ends_at)
            if end.date() >= today:
                rules.append(f"{_osm_days(start.date(), end.date())} "
                             f"{start:%H:%M}-{end:%H:%M}")
    else:
        by_day: dict[int, list[str]] = {}
        for period in point.opening_periods.all():
            if period.is_valid_on(today):
                by_day.setdefault(period.weekday, []).append(
                    f"{period.opens:%H:%M}-{period.closes:%H:%M}")
        groups: dict[str, list[int]] = {}
        for weekday in sorted(by_day):
            groups.setdefault(",".join(sorted(by_day[weekday])), []).append(weekday)
        rules = [f"{_osm_day_range(days)} {times}"
                 for times, days in sorted(groups.items(), key=lambda item: item[1][0])]
        if rules:
            rules.append("PH off")
    if not rules:
        return "off"
    rules += [f"{_osm_days(closure.starts_on, closure.ends_on)} off"
              for closure in sorted(closures, key=lambda closure: closure.starts_on)
              if closure.ends_on >= today]
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
        "opening_hours": osm_opening_hours(point, today, closures),
        "closures": [{"from": c.starts_on.isoformat(), "until": c.ends_on.isoformat(),
                      "reason": c.reason} for c in closures],
        "deployments": [
            {"place": d.place, "address": d.address, "starts_at": local(d.starts_at).isoformat(),
             "ends_at": local(d.ends_at).isoformat(), "theme": d.theme}
            for d in point.deployments.all()
        ] if point.is_mobile else [],
    }


def point_json_ld(point: Point, url: str, closures) -> dict:
    """schema.org description of a point with openingHoursSpecification;
    closures ahead become special hours with opens = closes = 00:00."""
    specs = [
        {"@type": "OpeningHoursSpecification", "dayOfWeek": SCHEMA_DAYS[p.weekday],
         "opens": f"{p.opens:%H:%M}", "closes": f"{p.closes:%H:%M}",
         **({"validFrom": p.valid_from.isoformat()} if p.valid_from else {}),
         **({"validThrough": p.valid_until.isoformat()} if p.valid_until else {})}
        for p in current_periods(point)
    ]
    data = {
        "@context": "https://schema.org",
        "@type": "GovernmentOffice" if point.hosting_partner_id is None else "LocalBusiness",
        "name": point.name, "url": url, "telephone": point.phone or None,
        "address": {"@type": "PostalAddress", "streetAddress": point.street,
                    "postalCode": point.postcode, "addressLocality": point.city,
                    "addressCountry": "BE"},
        "isAccessibleForFree": True,
        "openingHoursSpecification": specs,
        "specialOpeningHoursSpecification": [
            {"@type": "OpeningHoursSpecification", "opens": "00:00", "closes": "00:00",
             "validFrom": closure.starts_on.isoformat(),
             "validThrough": closure.ends_on.isoformat()}
            for closure in closures
        ],
    }
    if point.latitude is not None and point.longitude is not None:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": float(point.latitude),
                       "longitude": float(point.longitude)}
    return {key: value for key, value in data.items() if value is not None}


def deployments_calendar(deployments, request) -> bytes:
    """An iCalendar feed of mobile deployments."""
    calendar = Calendar()
    calendar.add("prodid", "-//Digibank//mobile deployments//NL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Digibank mobiel")
    stamp = timezone.now()
    host = request.get_host().split(":")[0] or "digibank"
    for deployment in deployments:
        event = Event()
        event.add("uid", f"deployment-{deployment.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", local(deployment.starts_at))
        event.add("dtend", local(deployment.ends_at))
        summary = f"{deployment.point.name}: {deployment.place}"
        event.add("summary", f"{summary} ({deployment.theme})" if deployment.theme else summary)
        event.add("location", deployment.address)
        event.add("url", request.build_absolute_uri(
            reverse("points:detail", args=[deployment.point.slug])))
        calendar.add_component(event)
    return calendar.to_ical()


def upcoming_deployments(moment: datetime | None = None):
    return MobileDeployment.objects.upcoming(moment).select_related("point", "district")
