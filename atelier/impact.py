"""Impact figures of the atelier, the way the Restart Project's Fixometer
and the Open Repair Data Standard (ORDS) count them.

Only devices given a second life count: donated devices refurbished into
use, and repairs with the ORDS outcome "fixed". Returned loan devices that
are refurbished again, repairable and end-of-life repairs do not count.

Per device kind, the average weight (kg) and the embodied carbon of making
a new one (kg CO2e) come from the Restart Project's Fixometer category table
(TheRestartProject/restarters.net, categories "Laptop medium", "Tablet" and
"Mobile"). A device given a second life does not always stop a new one from
being bought, so the carbon avoided is the embodied carbon times the
displacement factor of 0.5 the Restart Project uses. E-waste avoided is the
weight of the device.
"""

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F
from django.utils import timezone

from atelier.models import JobReason, JobStatus, RefurbishJob, RepairOutcome, RepairTicket
from devices.models import DeviceKind, Loan

SOURCE = "The Restart Project, Fixometer categories (restarters.net), Open Repair Data Standard"
DISPLACEMENT = Decimal("0.5")
# kind: (weight in kg, embodied carbon in kg CO2e)
FIGURES: dict[str, tuple[Decimal, Decimal]] = {
    DeviceKind.LAPTOP: (Decimal("2.26"), Decimal("258.25")),   # "Laptop medium"
    DeviceKind.TABLET: (Decimal("0.51"), Decimal("107.76")),   # "Tablet"
    DeviceKind.SMARTPHONE: (Decimal("0.14"), Decimal("35.82")),  # "Mobile"
}


@dataclass
class KindImpact:
    kind: str
    label: str
    reused: int
    fixed: int
    weight: Decimal
    footprint: Decimal

    @property
    def second_life(self) -> int:
        return self.reused + self.fixed

    @property
    def waste_kg(self) -> Decimal:
        return self.second_life * self.weight

    @property
    def co2e_kg(self) -> Decimal:
        return self.second_life * self.footprint * DISPLACEMENT


@dataclass
class Impact:
    start: date
    end: date
    kinds: list[KindImpact]
    refurbished: int
    loaned: int
    repaired: int
    turnaround_days: float | None  # average, over repairs resolved in the period

    @property
    def second_life(self) -> int:
        return sum(k.second_life for k in self.kinds)

    @property
    def waste_kg(self) -> Decimal:
        return sum((k.waste_kg for k in self.kinds), Decimal(0))

    @property
    def co2e_kg(self) -> Decimal:
        return sum((k.co2e_kg for k in self.kinds), Decimal(0))


def _span(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (datetime.combine(start, time.min, tz),
            datetime.combine(end, time.max, tz))


def impact_between(start: date, end: date) -> Impact:
    """The impact from ``start`` to ``end`` (both days included), with the
    average repair turnaround: a few aggregate queries, whatever the number
    of devices."""
    since, until = _span(start, end)
    jobs = RefurbishJob.objects.filter(status=JobStatus.DONE, finished_at__range=(since, until))
    reused = dict(jobs.filter(reason=JobReason.DONATION).values_list("device__kind")
                  .annotate(n=Count("pk")))
    fixed_tickets = RepairTicket.objects.filter(outcome=RepairOutcome.FIXED,
                                                resolved_at__range=(since, until))
    fixed = dict(fixed_tickets.values_list("device__kind").annotate(n=Count("pk")))
    turnaround = RepairTicket.objects.filter(resolved_at__range=(since, until)).aggregate(
        avg=Avg(ExpressionWrapper(F("resolved_at") - F("opened_at"),
                                  output_field=DurationField())))["avg"]
    kinds = [KindImpact(kind, label, reused.get(kind, 0), fixed.get(kind, 0), *FIGURES[kind])
             for kind, label in DeviceKind.choices]
    return Impact(
        start=start, end=end, kinds=kinds, refurbished=jobs.count(),
        loaned=Loan.objects.filter(handed_out_at__range=(since, until)).count(),
        repaired=sum(fixed.values()),
        turnaround_days=round(turnaround.total_seconds() / 86400, 1) if turnaround else None)
